//! The one error type of the HTTP API.
//!
//! Every handler returns `Result<_, ApiError>`; this is the only place that
//! turns an error into a status and the `{"error": {"code", "message"}}`
//! body of the contract. Internal failures are logged here, once, with
//! their cause, and answered with a generic `internal` body: a client never
//! sees a storage error, a path or a stack of causes.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use resetflow::flow::FlowError;
use resetflow::identifier::IdentifierError;
use resetflow::password::PasswordError;
use resetflow::protocol::{ErrorBody, ErrorDetail};
use resetflow::Locale;

/// An error answer: status, stable code, localised message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: &'static str,
    retry_after: Option<u64>,
    /// The cause of an internal error: logged, never sent.
    internal: Option<String>,
}

/// The server's own error codes (those not from the library).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// `flow.not_found` (404).
    FlowNotFound,
    /// `flow.conflict` (409): another request changed the flow; retry.
    FlowConflict,
    /// `rate.limited` (429): too many requests from this client.
    RateLimited,
    /// `request.invalid_json` (400).
    InvalidJson,
    /// `request.invalid_query` (400): a query parameter has no valid value.
    InvalidQuery,
    /// `request.unsupported_media_type` (415): not `application/json`.
    UnsupportedMediaType,
    /// `request.origin_forbidden` (403): Origin not on the allow-list.
    OriginForbidden,
    /// `login.failed` (401).
    LoginFailed,
    /// `admin.unauthorized` (401).
    AdminUnauthorized,
    /// `review.not_found` (404).
    ReviewNotFound,
    /// `review.decided` (409): the review was decided already.
    ReviewDecided,
    /// `review.contact_invalid` (422): the contact is no phone or e-mail.
    ReviewContactInvalid,
    /// `request.not_found` (404): no such route.
    NotFound,
    /// `request.method_not_allowed` (405): the route takes other methods.
    MethodNotAllowed,
    /// `service.unavailable` (503): state the server needs (Redis) did not
    /// answer; nothing was done, try again shortly.
    Unavailable,
    /// `internal` (500).
    Internal,
}

impl Code {
    /// The stable code string.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::FlowNotFound => "flow.not_found",
            Code::FlowConflict => "flow.conflict",
            Code::RateLimited => "rate.limited",
            Code::InvalidJson => "request.invalid_json",
            Code::InvalidQuery => "request.invalid_query",
            Code::UnsupportedMediaType => "request.unsupported_media_type",
            Code::OriginForbidden => "request.origin_forbidden",
            Code::LoginFailed => "login.failed",
            Code::AdminUnauthorized => "admin.unauthorized",
            Code::ReviewNotFound => "review.not_found",
            Code::ReviewDecided => "review.decided",
            Code::ReviewContactInvalid => "review.contact_invalid",
            Code::NotFound => "request.not_found",
            Code::MethodNotAllowed => "request.method_not_allowed",
            Code::Unavailable => "service.unavailable",
            Code::Internal => "internal",
        }
    }

    const fn status(self) -> StatusCode {
        match self {
            Code::FlowNotFound | Code::ReviewNotFound | Code::NotFound => StatusCode::NOT_FOUND,
            Code::FlowConflict | Code::ReviewDecided => StatusCode::CONFLICT,
            Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Code::InvalidJson | Code::InvalidQuery => StatusCode::BAD_REQUEST,
            Code::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::OriginForbidden => StatusCode::FORBIDDEN,
            Code::LoginFailed | Code::AdminUnauthorized => StatusCode::UNAUTHORIZED,
            Code::ReviewContactInvalid => StatusCode::UNPROCESSABLE_ENTITY,
            Code::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message in `locale` (en, de, es, id, zh).
    pub const fn message(self, locale: Locale) -> &'static str {
        let [en, de, es, id, zh] = match self {
            Code::FlowNotFound => [
                "This recovery was not found. Please start again.",
                "Diese Wiederherstellung wurde nicht gefunden. Bitte beginnen Sie neu.",
                "No se encontró esta recuperación. Vuelva a empezar.",
                "Pemulihan ini tidak ditemukan. Silakan mulai lagi.",
                "未找到此恢复流程，请重新开始。",
            ],
            Code::FlowConflict => [
                "Another request changed this recovery. Please try again.",
                "Eine andere Anfrage hat diese Wiederherstellung geändert. Bitte erneut versuchen.",
                "Otra solicitud cambió esta recuperación. Inténtelo de nuevo.",
                "Permintaan lain mengubah pemulihan ini. Silakan coba lagi.",
                "另一个请求更改了此恢复流程，请重试。",
            ],
            Code::RateLimited => [
                "Too many requests. Please wait and try again.",
                "Zu viele Anfragen. Bitte warten Sie und versuchen Sie es erneut.",
                "Demasiadas solicitudes. Espere e inténtelo de nuevo.",
                "Terlalu banyak permintaan. Harap tunggu dan coba lagi.",
                "请求过多，请稍后再试。",
            ],
            Code::InvalidJson => [
                "The request is not valid JSON of the expected shape.",
                "Die Anfrage ist kein gültiges JSON der erwarteten Form.",
                "La solicitud no es JSON válido con la forma esperada.",
                "Permintaan bukan JSON yang valid dengan bentuk yang diharapkan.",
                "请求不是预期格式的有效 JSON。",
            ],
            Code::InvalidQuery => [
                "A query parameter has an invalid value.",
                "Ein Abfrageparameter hat einen ungültigen Wert.",
                "Un parámetro de la consulta tiene un valor no válido.",
                "Parameter kueri memiliki nilai yang tidak valid.",
                "查询参数的值无效。",
            ],
            Code::UnsupportedMediaType => [
                "Requests must be sent as application/json.",
                "Anfragen müssen als application/json gesendet werden.",
                "Las solicitudes deben enviarse como application/json.",
                "Permintaan harus dikirim sebagai application/json.",
                "请求必须以 application/json 发送。",
            ],
            Code::OriginForbidden => [
                "Requests from this site are not allowed.",
                "Anfragen von dieser Website sind nicht erlaubt.",
                "No se permiten solicitudes desde este sitio.",
                "Permintaan dari situs ini tidak diizinkan.",
                "不允许来自此站点的请求。",
            ],
            Code::LoginFailed => [
                "The identifier or password is wrong.",
                "Kennung oder Passwort ist falsch.",
                "El identificador o la contraseña no son correctos.",
                "Pengenal atau kata sandi salah.",
                "标识或密码错误。",
            ],
            Code::AdminUnauthorized => [
                "A valid administrator token is required.",
                "Ein gültiges Administrator-Token ist erforderlich.",
                "Se requiere un token de administrador válido.",
                "Token administrator yang valid diperlukan.",
                "需要有效的管理员令牌。",
            ],
            Code::ReviewNotFound => [
                "This review was not found.",
                "Diese Prüfung wurde nicht gefunden.",
                "No se encontró esta revisión.",
                "Tinjauan ini tidak ditemukan.",
                "未找到此审核。",
            ],
            Code::ReviewDecided => [
                "This review was already decided.",
                "Über diese Prüfung wurde bereits entschieden.",
                "Esta revisión ya fue decidida.",
                "Tinjauan ini sudah diputuskan.",
                "此审核已有结果。",
            ],
            Code::ReviewContactInvalid => [
                "Please give a phone number or an e-mail address we can reach you at.",
                "Bitte geben Sie eine Telefonnummer oder E-Mail-Adresse an, unter der wir Sie erreichen.",
                "Indique un número de teléfono o un correo electrónico donde podamos contactarle.",
                "Berikan nomor telepon atau alamat e-mail yang dapat kami hubungi.",
                "请提供我们可以联系到您的电话号码或电子邮箱。",
            ],
            Code::NotFound => [
                "Not found.",
                "Nicht gefunden.",
                "No encontrado.",
                "Tidak ditemukan.",
                "未找到。",
            ],
            Code::MethodNotAllowed => [
                "This method is not allowed here.",
                "Diese Methode ist hier nicht erlaubt.",
                "Este método no está permitido aquí.",
                "Metode ini tidak diizinkan di sini.",
                "此处不允许使用该方法。",
            ],
            Code::Unavailable => [
                "The service is briefly unavailable. Please try again in a moment.",
                "Der Dienst ist kurz nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.",
                "El servicio no está disponible por un momento. Inténtelo de nuevo en breve.",
                "Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.",
                "服务暂时不可用，请稍后再试。",
            ],
            Code::Internal => [
                "Something went wrong on our side. Please try again later.",
                "Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
                "Algo salió mal de nuestro lado. Inténtelo más tarde.",
                "Terjadi kesalahan di pihak kami. Silakan coba lagi nanti.",
                "我们这边出了问题，请稍后再试。",
            ],
        };
        match locale {
            Locale::En => en,
            Locale::De => de,
            Locale::Es => es,
            Locale::Id => id,
            Locale::Zh => zh,
            _ => en,
        }
    }
}

impl ApiError {
    /// One of the server's own errors.
    pub fn new(code: Code, locale: Locale) -> ApiError {
        ApiError {
            status: code.status(),
            code: code.as_str(),
            message: code.message(locale),
            retry_after: None,
            internal: None,
        }
    }

    /// `rate.limited` with the seconds to wait.
    pub fn rate_limited(retry_after: u64, locale: Locale) -> ApiError {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..ApiError::new(Code::RateLimited, locale)
        }
    }

    /// An internal failure: `cause` is logged when answered, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        ApiError {
            internal: Some(cause.to_string()),
            ..ApiError::new(Code::Internal, Locale::En)
        }
    }

    /// `service.unavailable` (503): the shared state (Redis) failed, so the
    /// request fails closed. `cause` is logged when answered, never sent.
    pub fn unavailable(cause: impl std::fmt::Display, locale: Locale) -> ApiError {
        ApiError {
            internal: Some(cause.to_string()),
            ..ApiError::new(Code::Unavailable, locale)
        }
    }

    /// A flow's refusal. `send_limit_retry` is the `Retry-After` for
    /// `code.send_limit` (the seconds until the flow expires).
    pub fn flow(e: FlowError, locale: Locale, send_limit_retry: u64) -> ApiError {
        let (status, retry_after) = match e {
            FlowError::Expired => (StatusCode::GONE, None),
            FlowError::Cooldown { retry_after_secs } => {
                (StatusCode::TOO_MANY_REQUESTS, Some(retry_after_secs.max(1)))
            }
            FlowError::SendLimit => (StatusCode::TOO_MANY_REQUESTS, Some(send_limit_retry.max(1))),
            FlowError::Completed
            | FlowError::Locked
            | FlowError::Revoked
            | FlowError::ReviewDenied
            | FlowError::WrongStep { .. } => (StatusCode::CONFLICT, None),
            _ => (StatusCode::UNPROCESSABLE_ENTITY, None),
        };
        ApiError {
            status,
            code: e.code(),
            message: e.message(locale),
            retry_after,
            internal: None,
        }
    }

    /// A malformed identifier (422).
    pub fn identifier(e: &IdentifierError, locale: Locale) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: e.code(),
            message: e.message(locale),
            retry_after: None,
            internal: None,
        }
    }

    /// A password the policy refused (422).
    pub fn password(e: PasswordError, locale: Locale) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: e.code(),
            message: e.message(locale),
            retry_after: None,
            internal: None,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.internal {
            if self.status == StatusCode::SERVICE_UNAVAILABLE {
                tracing::error!(error = %cause, "request failed closed: shared state unavailable");
            } else {
                tracing::error!(error = %cause, "internal error");
            }
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.to_owned(),
                retry_after: self.retry_after,
            },
        };
        let mut res = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}
