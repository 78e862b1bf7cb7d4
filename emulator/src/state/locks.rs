//! Locks that survive a panic: a poisoned lock still holds usable state, and one panicking
//! request must not stop the others.

use std::sync::{Mutex, MutexGuard, RwLock};

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A copy of what `slot` holds (an `Arc` for the schemas, so a cheap one).
pub fn read<T: Clone>(slot: &RwLock<T>) -> T {
    slot.read().unwrap_or_else(|p| p.into_inner()).clone()
}

pub fn write<T>(slot: &RwLock<T>, value: T) {
    *slot.write().unwrap_or_else(|p| p.into_inner()) = value;
}
