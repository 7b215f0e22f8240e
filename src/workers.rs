//! Workers: the documents of a workbook made on threads of their own, each thread making one
//! document at a time.
//!
//! Typst parallelizes inside a compile on rayon's pool. Were documents made on that pool too, a
//! thread waiting inside one document's PDF export would steal the next whole document: many
//! documents would be half made at once (memory grows with the batch) and the time of one would
//! be counted in another's. Plain threads pulling the next index keep one document per thread.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack of every thread that lays documents out: Typst recurses deeply on long documents.
pub(crate) const STACK: usize = 64 << 20;

/// `f` applied to every item on as many threads as rayon would use (`RAYON_NUM_THREADS`, else
/// one per core), results in the items' order.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let r = f(item);
                        results.lock().expect("the results")[i] = Some(r);
                    }
                })
                .expect("a worker thread");
        }
    });
    results
        .into_inner()
        .expect("the results")
        .into_iter()
        .map(|r| r.expect("every item was made"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_item_once_in_order() {
        let items: Vec<u32> = (0..100).collect();
        assert_eq!(
            super::map(&items, |x| x * 2),
            (0..100).map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&[] as &[u32], |x| *x).is_empty());
    }
}
