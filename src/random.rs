//! SplitMix64, a small seeded generator: the same seed, the same numbers (the memory lab's
//! sleeps, the CPU lab's data, the property tests). Not for secrets.

#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `random.random()`: uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `random.randint(lo, hi)`, both ends included.
    pub fn randint(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `bytearray(randrange(256) for i in range(len))`, eight bytes per step.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut bytes = vec![0; len];
        self.fill(&mut bytes);
        bytes
    }

    /// Fills `bytes`, eight bytes per step (the last step's extra bytes are dropped).
    pub fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

/// For property tests.
#[cfg(test)]
impl SplitMix {
    /// True `percent` times in 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One character of `alphabet`.
    pub fn pick(&mut self, alphabet: &str) -> char {
        let chars: Vec<char> = alphabet.chars().collect();
        chars[self.below(chars.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b) = (SplitMix(7), SplitMix(7));
        assert_eq!(a.bytes(13), b.bytes(13));
        assert_ne!(SplitMix(7).bytes(16), SplitMix(8).bytes(16));
        assert_eq!(SplitMix(1).bytes(1001).len(), 1001);
        let mut r = SplitMix(3);
        assert!((0..1000).all(|_| (5..=9).contains(&r.randint(5, 9))));
        assert!((0..1000).all(|_| r.next_f64() < 1.0));
        assert!((0..1000).all(|_| r.below(3) < 3));
    }
}
