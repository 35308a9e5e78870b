//! The book's `Throttle`: a token bucket shared by every worker. It starts empty; its clock
//! starts at the first `consume`; it adds whole tokens, `int(elapsed × rate)`, only once at
//! least one has accrued (and only then moves its clock); it never holds more than `rate`;
//! `consume` takes a token if there is one. Plain state, so the page's workers can keep it
//! in shared memory (behind a lock) and the tests can run it on a virtual clock.

/// The bucket's state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throttle {
    /// Tokens per second, and the most the bucket holds.
    pub rate: f64,
    pub tokens: f64,
    /// When tokens were last added, in ms; `None` until the first `consume`.
    pub last_ms: Option<f64>,
}

impl Throttle {
    pub fn new(rate: f64) -> Self {
        Throttle {
            rate,
            tokens: 0.0,
            last_ms: None,
        }
    }

    /// One token at `now_ms`, if the bucket has it. (Milliseconds, so that a whole period
    /// on a virtual clock is exact: 0.3 s − 0.2 s is not 0.1 in floating point.)
    pub fn consume(&mut self, now_ms: f64) -> bool {
        let last = *self.last_ms.get_or_insert(now_ms);
        let accrued = ((now_ms - last) * self.rate / 1000.0).trunc();
        if accrued >= 1.0 {
            self.tokens += accrued;
            self.last_ms = Some(now_ms);
        }
        self.tokens = self.tokens.min(self.rate);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// How long a worker sleeps between two tries (`time.sleep(0.1)`).
pub const POLL_MS: f64 = 100.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_empty_and_fills_one_token_per_period() {
        let mut bucket = Throttle::new(10.0);
        assert!(!bucket.consume(0.0), "empty at first");
        assert!(!bucket.consume(50.0));
        assert!(bucket.consume(100.0), "a whole token after 1/rate");
        assert!(!bucket.consume(100.0));
        assert!(!bucket.consume(150.0), "the clock moved to 0.1 s when the token came");
        assert!(bucket.consume(200.0));
    }

    #[test]
    fn never_holds_more_than_rate() {
        let mut bucket = Throttle::new(3.0);
        assert!(!bucket.consume(0.0));
        let granted = (0..10).filter(|_| bucket.consume(100_000.0)).count();
        assert_eq!(granted, 3, "a long pause buys a burst of `rate`, no more");
    }

    #[test]
    fn polling_workers_start_about_one_period_apart() {
        // Four workers poll every 100 ms, out of phase; each request takes 300 ms.
        let mut bucket = Throttle::new(10.0);
        let mut next_poll: [f64; 4] = [0.0, 30.0, 60.0, 90.0];
        let mut starts = Vec::new();
        let mut left = 20;
        while left > 0 {
            let (worker, &at) = next_poll
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .unwrap();
            if bucket.consume(at) {
                starts.push(at);
                left -= 1;
                next_poll[worker] = at + 300.0;
            } else {
                next_poll[worker] = at + POLL_MS;
            }
        }
        for pair in starts.windows(2) {
            assert!(pair[1] - pair[0] >= 90.0, "{starts:?}");
        }
        assert!(starts[19] <= 2500.0, "{starts:?}");
    }
}
