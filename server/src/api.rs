//! The HTTP API: routes of SPEC section 4, sign-in, admin review routes,
//! the dev outbox and the test page.
//!
//! Every response carries `Cache-Control: no-store` (flows, codes and
//! captchas must never sit in a shared cache). Requests with a body must be
//! `application/json`; a browser `Origin` must be on the allow-list or the
//! server's own origin; each client IP has a request budget.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::Uri;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use resetflow::protocol::{
    CaptchaAnswerRequest, ChannelChoiceRequest, CodeRequest, CreateFlowRequest, FlowObject,
    LoginRequest, PasswordRequest, ReviewRequest, Route, Routes, DEV_OUTBOX_PATH, LOGIN_PATH,
};
use resetflow::Locale;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::error::{ApiError, Code};
use crate::service::{self, Ctx};
use crate::store::{FlowRecord, ReviewStatus};

/// The admin routes (bearer token), outside the recovery prefix.
pub const ADMIN_REVIEWS_PATH: &str = "/api/admin/reviews";
/// Liveness.
pub const HEALTH_PATH: &str = "/healthz";
/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What the router needs.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The operations' context.
    pub ctx: Ctx,
    /// Where the recovery routes are mounted.
    pub routes: Routes,
    /// Origins (`https://example.com`) allowed besides the server's own.
    pub allowed_origins: Vec<String>,
    /// The admin bearer token; admin routes refuse everything without one.
    pub admin_token: Option<String>,
    /// The folder served at `/` (the test page), if any.
    pub www: Option<std::path::PathBuf>,
}

/// Builds the router.
pub fn app(state: AppState) -> Router {
    let r = &state.routes;
    let mut router = Router::new()
        .route(&r.template(Route::Flows), post(create_flow))
        .route(&r.template(Route::Flow), get(get_flow))
        .route(
            &r.template(Route::Captcha),
            get(get_captcha).post(post_captcha),
        )
        .route(&r.template(Route::Code), post(post_code))
        .route(&r.template(Route::CodeVerify), post(post_code_verify))
        .route(&r.template(Route::Password), post(post_password))
        .route(&r.template(Route::Review), post(post_review))
        .route(LOGIN_PATH, post(post_login))
        .route(ADMIN_REVIEWS_PATH, get(admin_list_reviews))
        .route(
            &format!("{ADMIN_REVIEWS_PATH}/{{id}}/approve"),
            post(admin_approve),
        )
        .route(
            &format!("{ADMIN_REVIEWS_PATH}/{{id}}/deny"),
            post(admin_deny),
        );
    if state.ctx.dev.is_some() {
        router = router.route(DEV_OUTBOX_PATH, get(dev_outbox));
    }
    router
        .route_layer(middleware::from_fn_with_state(state.clone(), guard))
        .route(HEALTH_PATH, get(health))
        // After every route: applies to the routes added so far.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(crate::www::serve)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), cors))
        .layer(middleware::from_fn(no_store))
        .with_state(state)
}

async fn health() -> &'static str {
    "ok"
}

/// A known path with a method it does not take (axum keeps the `Allow`
/// header it computed).
async fn method_not_allowed(headers: HeaderMap) -> ApiError {
    ApiError::new(Code::MethodNotAllowed, request_locale(&headers))
}

/// The locale of a request from `Accept-Language`, English by default.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Locale::En, Locale::negotiate)
}

fn client_ip(state: &AppState, req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "unknown".to_owned(),
            |c| limit_key(state.ctx.trusted_proxies.client(c.0.ip(), req.headers())),
        )
}

/// The key a client's budget is counted under: the IPv4 address, or the
/// IPv6 /64 prefix (one subscriber usually holds a whole /64 and could
/// otherwise take a fresh address for every request).
pub fn limit_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The client IP, put in the request's extensions by [`guard`].
#[derive(Clone, Debug)]
struct ClientIp(String);

async fn no_store(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// CORS for the allow-listed origins only: a front end on another origin
/// (`--allowed-origin`) may call the API and read the answers; every other
/// origin gets no CORS headers (and [`guard`] refuses its requests).
async fn cors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let allowed = req
        .headers()
        .get(header::ORIGIN)
        .filter(|o| {
            o.to_str()
                .is_ok_and(|o| state.allowed_origins.iter().any(|a| a == o))
        })
        .cloned();
    let preflight = req.method() == axum::http::Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut res = match (&allowed, preflight) {
        (Some(_), true) => StatusCode::NO_CONTENT.into_response(),
        _ => next.run(req).await,
    };
    if let Some(origin) = allowed {
        let h = res.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.append(header::VARY, HeaderValue::from_static("Origin"));
        if preflight {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type, accept-language"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        } else {
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("retry-after"),
            );
        }
    }
    res
}

/// Origin allow-list and per-IP budget for every API route.
async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let locale = request_locale(req.headers());
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        if !origin_allowed(&state, origin, req.headers()) {
            return ApiError::new(Code::OriginForbidden, locale).into_response();
        }
    }
    let ip = client_ip(&state, &req);
    if let Err(e) = service::limit_ip_requests(&state.ctx, &ip, locale).await {
        return e.into_response();
    }
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

fn origin_allowed(state: &AppState, origin: &HeaderValue, headers: &HeaderMap) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if state.allowed_origins.iter().any(|o| o == origin) {
        return true;
    }
    // The server's own origin (the test page it serves).
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (host, origin.split_once("://")) {
        (Some(host), Some((scheme, rest))) => {
            matches!(scheme, "http" | "https") && rest.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// A JSON body: `application/json` required, errors in the contract's shape.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let locale = request_locale(req.headers());
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError::new(Code::UnsupportedMediaType, locale));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::new(Code::InvalidJson, locale))?;
        serde_json::from_slice(&bytes)
            .map(ApiJson)
            .map_err(|_| ApiError::new(Code::InvalidJson, locale))
    }
}

/// The `{id}` of a flow route. An id that is not a valid path segment
/// (bad percent-encoding, not UTF-8) names no flow: `flow.not_found` in the
/// contract's shape, like any other id that does not exist.
pub struct FlowId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for FlowId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| FlowId(id))
            .map_err(|_| ApiError::new(Code::FlowNotFound, request_locale(&parts.headers)))
    }
}

/// The `{id}` of an admin review route, read but not judged: the bearer
/// token is checked first, then an id that is no number is
/// `review.not_found`.
pub struct ReviewId(Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for ReviewId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(id)| id.parse().ok());
        Ok(ReviewId(id))
    }
}

fn wire(state: &AppState, rec: &FlowRecord) -> FlowObject {
    rec.flow
        .to_wire(&rec.id, (state.ctx.clock)(), &state.ctx.limits)
}

fn ip(req_ip: Option<axum::Extension<ClientIp>>) -> String {
    req_ip.map_or_else(|| "unknown".to_owned(), |e| e.0 .0.clone())
}

async fn create_flow(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<axum::Extension<ClientIp>>,
    ApiJson(body): ApiJson<CreateFlowRequest>,
) -> Result<(StatusCode, Json<FlowObject>), ApiError> {
    let locale = body
        .locale
        .as_deref()
        .map_or_else(|| request_locale(&headers), Locale::negotiate);
    let rec = service::start_flow(
        &state.ctx,
        &body.identifier,
        locale,
        body.region.as_deref(),
        &ip(client),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(wire(&state, &rec))))
}

async fn get_flow(
    State(state): State<AppState>,
    FlowId(id): FlowId,
    headers: HeaderMap,
) -> Result<Json<FlowObject>, ApiError> {
    let locale = request_locale(&headers);
    let rec = service::load(&state.ctx, &id, locale).await?;
    let now = (state.ctx.clock)();
    if rec.flow.is_expired(now) {
        return Err(ApiError::flow(
            resetflow::flow::FlowError::Expired,
            service::flow_locale(&rec),
            0,
        ));
    }
    Ok(Json(wire(&state, &rec)))
}

async fn get_captcha(
    State(state): State<AppState>,
    FlowId(id): FlowId,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let png = service::fresh_captcha(&state.ctx, &id, request_locale(&headers)).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

async fn post_captcha(
    State(state): State<AppState>,
    FlowId(id): FlowId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CaptchaAnswerRequest>,
) -> Result<Json<FlowObject>, ApiError> {
    let rec =
        service::answer_captcha(&state.ctx, &id, &body.answer, request_locale(&headers)).await?;
    Ok(Json(wire(&state, &rec)))
}

async fn post_code(
    State(state): State<AppState>,
    FlowId(id): FlowId,
    headers: HeaderMap,
    client: Option<axum::Extension<ClientIp>>,
    ApiJson(body): ApiJson<ChannelChoiceRequest>,
) -> Result<Json<FlowObject>, ApiError> {
    let rec = service::send_code(
        &state.ctx,
        &id,
        &body.channel,
        request_locale(&headers),
        &ip(client),
    )
    .await?;
    Ok(Json(wire(&state, &rec)))
}

async fn post_code_verify(
    State(state): State<AppState>,
    FlowId(id): FlowId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CodeRequest>,
) -> Result<Json<FlowObject>, ApiError> {
    let rec = service::verify_code(&state.ctx, &id, &body.code, request_locale(&headers)).await?;
    Ok(Json(wire(&state, &rec)))
}

async fn post_password(
    State(state): State<AppState>,
    FlowId(id): FlowId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordRequest>,
) -> Result<Json<FlowObject>, ApiError> {
    let rec = service::set_password(
        &state.ctx,
        &id,
        &body.password,
        &body.confirm,
        request_locale(&headers),
    )
    .await?;
    Ok(Json(wire(&state, &rec)))
}

async fn post_review(
    State(state): State<AppState>,
    FlowId(id): FlowId,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> Result<Json<FlowObject>, ApiError> {
    let rec = service::request_review(
        &state.ctx,
        &id,
        &body.contact,
        &body.message,
        request_locale(&headers),
    )
    .await?;
    Ok(Json(wire(&state, &rec)))
}

/// The answer of a successful `POST /api/login`.
#[derive(Debug, Serialize, Deserialize)]
pub struct LoginResponse {
    /// A session token (revoked when the password is reset).
    pub session: String,
    /// The account ID, masked.
    pub account: String,
}

async fn post_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<axum::Extension<ClientIp>>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let (token, account) = service::login(
        &state.ctx,
        &body.identifier,
        &body.password,
        request_locale(&headers),
        &ip(client),
    )
    .await?;
    Ok(Json(LoginResponse {
        session: token,
        account: resetflow::protocol::mask_account_id(&account.id),
    }))
}

fn admin(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let denied = || ApiError::new(Code::AdminUnauthorized, request_locale(headers));
    let expected = state.admin_token.as_deref().ok_or_else(denied)?;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(denied)?;
    // Compare keyed hashes so the comparison is constant-time whatever the lengths.
    let k = &state.ctx.keys;
    let a = k.mac(crate::keys::Purpose::Session, &[b"admin", given.as_bytes()]);
    let b = k.mac(
        crate::keys::Purpose::Session,
        &[b"admin", expected.as_bytes()],
    );
    if bool::from(a.ct_eq(&b)) {
        Ok(())
    } else {
        Err(denied())
    }
}

#[derive(Debug, Deserialize)]
struct ReviewQuery {
    status: Option<String>,
}

async fn admin_list_reviews(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    // The token first: without one, nothing about the query is told.
    admin(&state, &headers)?;
    let Query(q) = Query::<ReviewQuery>::try_from_uri(&uri)
        .map_err(|_| ApiError::new(Code::InvalidQuery, request_locale(&headers)))?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            ReviewStatus::from_name(s)
                .ok_or_else(|| ApiError::new(Code::InvalidQuery, request_locale(&headers)))?,
        ),
    };
    let reviews = state.ctx.store.reviews(status).await?;
    Ok(Json(reviews).into_response())
}

async fn admin_decide(
    state: AppState,
    headers: HeaderMap,
    id: ReviewId,
    approve: bool,
) -> Result<Response, ApiError> {
    admin(&state, &headers)?;
    let id =
        id.0.ok_or_else(|| ApiError::new(Code::ReviewNotFound, request_locale(&headers)))?;
    let review = service::decide_review(&state.ctx, id, approve).await?;
    Ok(Json(review).into_response())
}

async fn admin_approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: ReviewId,
) -> Result<Response, ApiError> {
    admin_decide(state, headers, id, true).await
}

async fn admin_deny(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: ReviewId,
) -> Result<Response, ApiError> {
    admin_decide(state, headers, id, false).await
}

async fn dev_outbox(State(state): State<AppState>) -> Response {
    match &state.ctx.dev {
        Some(dev) => Json(dev.entries()).into_response(),
        None => ApiError::new(Code::NotFound, Locale::En).into_response(),
    }
}
