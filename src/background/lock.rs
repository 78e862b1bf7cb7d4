//! A lock for one thread's async work (the worker runs one task at a time, but awaits
//! interleave): whoever holds it finishes a read-change-write (of items, of matches) before another starts.
//! Each of the in-memory host's locks ([`crate::host::Host::lock`]); the extension's are
//! the browser's (Web Locks), which both background modules share.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

use crate::host::HeldLock;

#[derive(Default)]
pub struct Lock {
    held: Cell<bool>,
    waiting: RefCell<VecDeque<Waker>>,
}

impl Lock {
    /// Waits for the lock; it is released when the answer is dropped.
    pub async fn lock(self: &Rc<Self>) -> HeldLock {
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
        let this = Rc::clone(self);
        HeldLock::new(move || this.release())
    }

    fn release(&self) {
        self.held.set(false);
        if let Some(next) = self.waiting.borrow_mut().pop_front() {
            next.wake();
        }
    }
}
