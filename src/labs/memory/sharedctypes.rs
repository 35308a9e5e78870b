//! `sharedctypes`: `Value('d', 0.0)` and `Array('i', range(N))` in one block of shared
//! memory — an f64 at byte 0, then N i32s from byte 8 — and what the child does to them.

use super::transcript::PI_ISH;
use crate::runtime::ports::SharedMemory;

/// The i32 word where the array starts (after the f64's 8 bytes).
const ARRAY_WORD: u32 = 2;

/// The bytes the value and an array of `length` take.
pub fn bytes(length: u32) -> u32 {
    8 + 4 * length
}

/// The parent: `num = Value('d', 0.0)`, `arr = Array('i', range(length))`.
pub fn fill(memory: &impl SharedMemory, length: u32) {
    memory.set_f64(0, 0.0);
    for i in 0..length {
        memory.store(ARRAY_WORD + i, i as i32);
    }
}

/// The child: `num.value = 3.1415927`, `arr[i] = -arr[i]` for each item, in place.
pub fn child(memory: &impl SharedMemory, length: u32) {
    memory.set_f64(0, PI_ISH);
    for i in 0..length {
        let word = ARRAY_WORD + i;
        memory.store(word, memory.load(word).wrapping_neg());
    }
}

/// The parent, after the child is done: `num.value` and `arr[:]`, read from the memory.
pub fn read(memory: &impl SharedMemory, length: u32) -> (f64, Vec<i32>) {
    let array = (0..length).map(|i| memory.load(ARRAY_WORD + i)).collect();
    (memory.get_f64(0), array)
}
