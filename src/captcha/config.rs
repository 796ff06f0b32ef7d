//! What to render: validated once, then every generated captcha can rely on it.

use core::fmt;

/// How hard a captcha is to read, for people and machines alike.
///
/// Every level uses every distortion; the levels differ in how far each one
/// goes (rotation, overlap, warp, number and weight of interference strokes,
/// noise).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Difficulty {
    /// Milder distortions, for audiences that struggle with the default.
    Easy,
    /// The default: read at a glance by a person, not by off-the-shelf OCR.
    #[default]
    Normal,
    /// More overlap, warp and interference, for flows under attack.
    Hard,
}

impl Difficulty {
    /// Every level, easiest first.
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Normal, Difficulty::Hard];

    /// The level's stable name: `easy`, `normal` or `hard`.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Normal => "normal",
            Difficulty::Hard => "hard",
        }
    }

    /// Parses a name given by [`Difficulty::as_str`].
    ///
    /// # Errors
    ///
    /// [`ConfigError::Difficulty`] (`captcha.difficulty`) for any other string.
    pub fn parse(name: &str) -> Result<Difficulty, ConfigError> {
        Difficulty::ALL
            .into_iter()
            .find(|d| d.as_str() == name)
            .ok_or(ConfigError::Difficulty)
    }
}

/// A validated captcha configuration; build one with [`Config::builder`].
///
/// `Config::default()` renders 6 digits on 160x60 logical pixels at scale 1,
/// difficulty [`Difficulty::Normal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub(crate) length: u8,
    pub(crate) width: u16,
    pub(crate) height: u16,
    pub(crate) scale: u8,
    pub(crate) difficulty: Difficulty,
}

impl Config {
    /// Shortest answer accepted.
    pub const MIN_LENGTH: usize = 4;
    /// Longest answer accepted.
    pub const MAX_LENGTH: usize = 8;
    /// Smallest logical width and height accepted.
    pub const MIN_SIZE: (u32, u32) = (80, 30);
    /// Largest logical width and height accepted (bounds the allocation).
    pub const MAX_SIZE: (u32, u32) = (640, 240);
    /// Logical width needed per digit, so glyphs stay legible.
    pub const MIN_WIDTH_PER_DIGIT: u32 = 16;
    /// Largest pixel-density scale accepted.
    pub const MAX_SCALE: u32 = 3;

    /// A builder starting from the defaults.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            length: 6,
            width: 160,
            height: 60,
            scale: 1,
            difficulty: Difficulty::Normal,
        }
    }

    /// Number of digits in the answer.
    pub fn length(&self) -> usize {
        usize::from(self.length)
    }

    /// Width and height of the PNG in pixels (logical size times scale).
    pub fn pixel_size(&self) -> (u32, u32) {
        let s = u32::from(self.scale);
        (u32::from(self.width) * s, u32::from(self.height) * s)
    }

    /// The pixel-density scale (1, or 2 for high-density screens).
    pub fn scale(&self) -> u32 {
        u32::from(self.scale)
    }

    /// The difficulty level.
    pub fn difficulty(&self) -> Difficulty {
        self.difficulty
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            length: 6,
            width: 160,
            height: 60,
            scale: 1,
            difficulty: Difficulty::Normal,
        }
    }
}

/// Collects settings for a [`Config`]; nothing is checked until [`build`](ConfigBuilder::build).
#[derive(Clone, Debug)]
pub struct ConfigBuilder {
    length: usize,
    width: u32,
    height: u32,
    scale: u32,
    difficulty: Difficulty,
}

impl ConfigBuilder {
    /// Number of digits, 4 to 8 (default 6).
    pub fn length(mut self, digits: usize) -> Self {
        self.length = digits;
        self
    }

    /// Logical size in CSS pixels (default 160x60). The PNG is this size
    /// times the [`scale`](ConfigBuilder::scale).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Pixel density: 1 (default), 2 for high-density screens, at most 3.
    /// A scaled captcha is the same picture drawn with more pixels.
    pub fn scale(mut self, scale: u32) -> Self {
        self.scale = scale;
        self
    }

    /// Difficulty level (default [`Difficulty::Normal`]).
    pub fn difficulty(mut self, difficulty: Difficulty) -> Self {
        self.difficulty = difficulty;
        self
    }

    /// Checks the settings.
    ///
    /// # Errors
    ///
    /// - [`ConfigError::Length`] (`captcha.length`): length outside 4..=8.
    /// - [`ConfigError::Size`] (`captcha.size`): width or height outside
    ///   [`Config::MIN_SIZE`]..=[`Config::MAX_SIZE`], or narrower than
    ///   [`Config::MIN_WIDTH_PER_DIGIT`] per digit.
    /// - [`ConfigError::Scale`] (`captcha.scale`): scale outside 1..=3.
    pub fn build(self) -> Result<Config, ConfigError> {
        if !(Config::MIN_LENGTH..=Config::MAX_LENGTH).contains(&self.length) {
            return Err(ConfigError::Length);
        }
        let (w, h) = (self.width, self.height);
        if !(Config::MIN_SIZE.0..=Config::MAX_SIZE.0).contains(&w)
            || !(Config::MIN_SIZE.1..=Config::MAX_SIZE.1).contains(&h)
            || w < Config::MIN_WIDTH_PER_DIGIT * self.length as u32
        {
            return Err(ConfigError::Size);
        }
        if !(1..=Config::MAX_SCALE).contains(&self.scale) {
            return Err(ConfigError::Scale);
        }
        // The range checks above make these conversions lossless.
        Ok(Config {
            length: self.length as u8,
            width: w as u16,
            height: h as u16,
            scale: self.scale as u8,
            difficulty: self.difficulty,
        })
    }
}

/// A captcha configuration that cannot be rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The number of digits is outside 4..=8.
    Length,
    /// The size is outside the accepted range or too narrow for the digits.
    Size,
    /// The pixel-density scale is outside 1..=3.
    Scale,
    /// An unknown difficulty name.
    Difficulty,
}

impl ConfigError {
    /// The stable code, such as `captcha.length`.
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Length => "captcha.length",
            ConfigError::Size => "captcha.size",
            ConfigError::Scale => "captcha.scale",
            ConfigError::Difficulty => "captcha.difficulty",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (min_w, min_h) = Config::MIN_SIZE;
        let (max_w, max_h) = Config::MAX_SIZE;
        match self {
            ConfigError::Length => write!(
                f,
                "captcha length must be {} to {} digits",
                Config::MIN_LENGTH,
                Config::MAX_LENGTH
            ),
            ConfigError::Size => write!(
                f,
                "captcha size must be {min_w}x{min_h} to {max_w}x{max_h}, at least {} pixels wide per digit",
                Config::MIN_WIDTH_PER_DIGIT
            ),
            ConfigError::Scale => write!(f, "captcha scale must be 1 to {}", Config::MAX_SCALE),
            ConfigError::Difficulty => f.write_str("captcha difficulty must be easy, normal or hard"),
        }
    }
}

impl std::error::Error for ConfigError {}
