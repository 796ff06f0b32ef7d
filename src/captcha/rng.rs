//! Random draws and the little trigonometry the renderer needs.
//!
//! Sine and cosine are computed here rather than with `f32::sin`: the
//! platform's libm differs between targets (native vs wasm32), and our own
//! polynomial makes a seeded render the same picture everywhere. It is also
//! several times faster, which matters at a few hundred calls per captcha.

use rand_core::RngCore;

/// Uniform draws from any [`RngCore`].
pub(crate) struct Draw<'a, R: RngCore + ?Sized> {
    rng: &'a mut R,
}

impl<'a, R: RngCore + ?Sized> Draw<'a, R> {
    pub(crate) fn new(rng: &'a mut R) -> Self {
        Draw { rng }
    }

    /// Uniform in `[0, 1)`, 24 bits of precision.
    pub(crate) fn unit(&mut self) -> f32 {
        (self.rng.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0)
    }

    /// Uniform in `[lo, hi)`.
    pub(crate) fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in `[-m, m)`.
    pub(crate) fn sym(&mut self, m: f32) -> f32 {
        self.range(-m, m)
    }

    /// Uniform integer in `0..n` without modulo bias (`n > 0`).
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        debug_assert!(n > 0);
        // Reject the top partial block so every residue is equally likely.
        let zone = u32::MAX - (u32::MAX % n);
        loop {
            let v = self.rng.next_u32();
            if v < zone {
                return v % n;
            }
        }
    }
}

/// `x.floor()` for |x| < 2^31, without the libm call that `f32::floor`
/// becomes on baseline x86-64 (no SSE4.1) and wasm32: the rasteriser calls
/// it for every row of every edge.
#[inline]
pub(crate) fn floor(x: f32) -> f32 {
    let t = x as i32 as f32;
    if t > x {
        t - 1.0
    } else {
        t
    }
}

/// `x.ceil()` for |x| < 2^31; see [`floor`].
#[inline]
pub(crate) fn ceil(x: f32) -> f32 {
    let t = x as i32 as f32;
    if t < x {
        t + 1.0
    } else {
        t
    }
}

const TAU: f32 = core::f32::consts::TAU;
const PI: f32 = core::f32::consts::PI;

/// Sine with an absolute error below 2e-4 for any finite input.
pub(crate) fn sin(x: f32) -> f32 {
    // Reduce to [-pi, pi].
    let x = x - TAU * floor(x * (1.0 / TAU) + 0.5);
    // Then to [-pi/2, pi/2] by sin(pi - x) = sin(x).
    let x = if x > PI / 2.0 {
        PI - x
    } else if x < -PI / 2.0 {
        -PI - x
    } else {
        x
    };
    // Taylor series to x^9: error < (pi/2)^11 / 11! ~ 3.6e-6 on this range.
    let x2 = x * x;
    x * (1.0
        + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 * (1.0 / 362_880.0)))))
}

/// Cosine, from [`sin`].
pub(crate) fn cos(x: f32) -> f32 {
    sin(x + PI / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn floor_and_ceil_match_std() {
        for x in [
            -3.5f32,
            -3.0,
            -2.7,
            -0.2,
            -0.0,
            0.0,
            0.3,
            1.0,
            1.5,
            2.999,
            1e6 + 0.5,
            -1e6 - 0.5,
        ] {
            assert_eq!(floor(x), x.floor(), "floor({x})");
            assert_eq!(ceil(x), x.ceil(), "ceil({x})");
        }
    }

    #[test]
    fn sine_matches_libm() {
        let mut x = -40.0f32;
        while x < 40.0 {
            assert!((sin(x) - x.sin()).abs() < 2e-4, "sin({x})");
            assert!((cos(x) - x.cos()).abs() < 2e-4, "cos({x})");
            x += 0.0137;
        }
    }

    #[test]
    fn draws_stay_in_range_and_cover_it() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut d = Draw::new(&mut rng);
        let mut seen = [0u32; 10];
        for _ in 0..10_000 {
            let v = d.below(10);
            seen[v as usize] += 1;
            let u = d.range(2.0, 3.0);
            assert!((2.0..3.0).contains(&u));
        }
        // Each digit expected 1000 times; 5 sigma is about 150.
        assert!(seen.iter().all(|&n| (850..1150).contains(&n)), "{seen:?}");
    }
}
