//! The CPU-bound jobs of Table 17-1, as the worker runs them: twelve byte arrays made from a
//! seed, then RC4 there and back (`arcfour_futures.py`) or SHA-256 (`sha_futures.py`). The
//! algorithms are RustCrypto's `rc4` and `sha2`; the sizes are the book's.

use rc4::{KeyInit, Rc4, StreamCipher};
use sha2::{Digest, Sha256};

use super::choices::Workload;
use crate::random::SplitMix;

/// Jobs per run, as in both scripts.
pub const JOBS: usize = 12;
/// `arcfour_futures.py`'s middle size: 256 KiB.
pub const RC4_SIZE: usize = 1 << 18;
/// `sha_futures.py`'s size: 1 MiB.
pub const SHA_SIZE: usize = 1 << 20;
/// The fixed key every RC4 job uses (ours; any key of 1–256 bytes will do).
pub const RC4_KEY: &[u8] = b"Concurrency Playground: Table 17-1";

/// `arcfour_futures.py`'s sizes in submission order: `SIZE + int(SIZE / JOBS * (i - JOBS/2))`
/// for i = 12 down to 1, i.e. 384 KiB down to 149.3 KiB.
pub fn rc4_sizes() -> Vec<usize> {
    (1..=JOBS)
        .rev()
        .map(|i| {
            let step = RC4_SIZE as f64 / JOBS as f64 * (i as f64 - JOBS as f64 / 2.0);
            // Python's int() truncates toward zero.
            (RC4_SIZE as i64 + step.trunc() as i64) as usize
        })
        .collect()
}

/// What an RC4 job answers when the round trip gave back its bytes, and when it did not.
pub const ROUND_TRIP_OK: &str = "ok";
pub const ROUND_TRIP_FAILED: &str = "failed";

/// One job, as a worker runs it: its bytes from the seed, then the workload; the answer is
/// [`ROUND_TRIP_OK`] (or [`ROUND_TRIP_FAILED`]) for RC4, the hex digest for SHA-256.
pub fn run_job(workload: Workload, seed: u64, index: usize, size: usize) -> String {
    let data = job_data(seed, index, size);
    match workload {
        Workload::Rc4 if rc4_round_trip(&data) => ROUND_TRIP_OK.to_string(),
        Workload::Rc4 => ROUND_TRIP_FAILED.to_string(),
        Workload::Sha256 => sha256_hex(&data),
    }
}

/// A job's bytes are made, ciphered and hashed a slice at a time, each slice a call of its
/// own (never inlined): V8 starts WebAssembly in its baseline tier and swaps optimized code
/// in between calls, so a job done in one call would run to its end in baseline code (see
/// `prime::is_prime_in_slices`).
const SLICE: usize = 64 * 1024;

/// Runs `workload` on [`SLICE`] bytes until a run takes under 60 % of the first (the
/// optimized code is in) or `budget_ms` is spent; the milliseconds it took. A worker does
/// this before its first job of a workload: V8 starts WebAssembly in its baseline tier,
/// where these loops run about 3× slower, and compiles the hot ones again, optimized, on a
/// background thread (issue 14: measured 1–9 ms to the optimized code here).
pub fn warm_up(workload: Workload, now_ms: impl Fn() -> f64, budget_ms: f64) -> f64 {
    let started = now_ms();
    let timed_run = || {
        let before = now_ms();
        let _ = run_job(workload, 0, 0, SLICE);
        now_ms() - before
    };
    let first = timed_run();
    loop {
        let took = timed_run();
        let spent = now_ms() - started;
        if took < first * 0.6 || spent >= budget_ms {
            return spent;
        }
    }
}

/// Job `index`'s bytes: `size` of them from the run's seed, the same in every worker.
pub fn job_data(seed: u64, index: usize, size: usize) -> Vec<u8> {
    let mut random = SplitMix(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let mut data = vec![0; size];
    for slice in data.chunks_mut(SLICE) {
        fill_slice(&mut random, slice);
    }
    data
}

#[inline(never)]
fn fill_slice(random: &mut SplitMix, slice: &mut [u8]) {
    random.fill(slice);
}

/// `arcfour_test`: encrypt, decrypt, and check the round trip.
pub fn rc4_round_trip(clear: &[u8]) -> bool {
    let mut data = clear.to_vec();
    rc4(&mut data);
    let changed = data != clear;
    rc4(&mut data);
    changed && data == clear
}

fn rc4(data: &mut [u8]) {
    let mut cipher = Rc4::new_from_slice(RC4_KEY).expect("the key is 1 to 256 bytes");
    for slice in data.chunks_mut(SLICE) {
        rc4_slice(&mut cipher, slice);
    }
}

#[inline(never)]
fn rc4_slice(cipher: &mut Rc4, slice: &mut [u8]) {
    cipher.apply_keystream(slice);
}

/// `hashlib.new('sha256').update(data).hexdigest()`.
pub fn sha256_hex(data: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for slice in data.chunks(SLICE) {
        sha256_slice(&mut hasher, slice);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[inline(never)]
fn sha256_slice(hasher: &mut Sha256, slice: &[u8]) {
    hasher.update(slice);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warm_up_stops_once_a_run_is_fast_or_the_budget_is_spent() {
        // A scripted clock: each call returns the next time: the start, the first run's before
        // and after, then each further run's before, after and the time spent so far.
        let clock = |times: Vec<f64>| {
            let next = std::cell::Cell::new(0);
            move || {
                let i = next.replace(next.get() + 1);
                times[i.min(times.len() - 1)]
            }
        };
        // 10 ms, then 3 ms: the optimized code is in after two runs.
        let fast = clock(vec![0.0, 0.0, 10.0, 10.0, 13.0, 13.0]);
        assert_eq!(warm_up(Workload::Rc4, fast, 30.0), 13.0);
        // Never faster: it gives up at the budget.
        let slow = clock(vec![0.0, 0.0, 20.0, 20.0, 40.0, 40.0]);
        assert_eq!(warm_up(Workload::Sha256, slow, 30.0), 40.0);
    }

    #[test]
    fn the_rc4_sizes_are_the_books() {
        let sizes = rc4_sizes();
        assert_eq!(sizes.len(), 12);
        assert_eq!(sizes[0], 393_216); // 384.0 KB
        assert_eq!(sizes[6], 262_144); // i = 6: 256 KiB
        assert_eq!(sizes[11], 152_918); // 149.3 KB
        assert!(sizes.windows(2).all(|w| w[0] > w[1]));
    }

    #[test]
    fn rc4_goes_there_and_back_and_sha256_is_the_standard_one() {
        let data = job_data(42, 3, 10_000);
        assert_eq!(data, job_data(42, 3, 10_000));
        assert_ne!(data, job_data(42, 4, 10_000));
        assert!(rc4_round_trip(&data));
        assert_eq!(run_job(Workload::Rc4, 42, 3, 10_000), ROUND_TRIP_OK);
        assert_eq!(run_job(Workload::Sha256, 42, 3, 10_000), sha256_hex(&data));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // RFC 6229's first test vector, key 0x0102030405: the keystream starts b2 39 63 05.
        let mut zeros = [0u8; 4];
        Rc4::new_from_slice(&[1, 2, 3, 4, 5])
            .unwrap()
            .apply_keystream(&mut zeros);
        assert_eq!(zeros, [0xb2, 0x39, 0x63, 0x05]);
    }

    /// Prints native timings for one array of each (`cargo test --release -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn timings() {
        let started = std::time::Instant::now();
        let data = job_data(1, 0, rc4_sizes()[0]);
        let made = started.elapsed();
        assert!(rc4_round_trip(&data));
        let rc4_done = started.elapsed();
        let big = job_data(1, 0, SHA_SIZE);
        let sha_start = std::time::Instant::now();
        sha256_hex(&big);
        println!(
            "data {:?}, rc4 {:?}, sha {:?}",
            made,
            rc4_done - made,
            sha_start.elapsed()
        );
    }
}
