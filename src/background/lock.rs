//! A lock for one thread's async work (the worker runs one task at a time, but awaits
//! interleave): whoever holds it finishes a read-change-write of items before another starts.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::task::{Poll, Waker};

#[derive(Default)]
pub struct Lock {
    held: Cell<bool>,
    waiting: RefCell<VecDeque<Waker>>,
}

/// Releases the lock when dropped.
pub struct Guard<'a>(&'a Lock);

impl Lock {
    pub async fn lock(&self) -> Guard<'_> {
        poll_fn(|cx| {
            if self.held.get() {
                self.waiting.borrow_mut().push_back(cx.waker().clone());
                Poll::Pending
            } else {
                self.held.set(true);
                Poll::Ready(())
            }
        })
        .await;
        Guard(self)
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.0.held.set(false);
        if let Some(next) = self.0.waiting.borrow_mut().pop_front() {
            next.wake();
        }
    }
}
