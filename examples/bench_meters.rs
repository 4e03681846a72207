//! What recording one request's duration costs: `cargo run --release --example bench_meters`.
//! Two million records per thread over four routes, on one thread and then on two at once, and
//! the time to render after them (the samples since the last upkeep are folded in at render).
use std::time::{Duration, Instant};

fn main() {
    suara::meters::install();
    let routes = [
        "/api/v1/units/{slug}/responses",
        "/u/{slug}/survey",
        "/api/v1/analytics/overview",
        "/healthz",
    ];
    let n = 2_000_000u64;
    for threads in [1usize, 2] {
        let t = Instant::now();
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                std::thread::spawn(move || {
                    for i in 0..n {
                        let route = routes[(i as usize + k) % routes.len()];
                        suara::meters::http_request(
                            route.to_string(),
                            "POST",
                            201,
                            Duration::from_micros(i % 5000),
                        );
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("thread");
        }
        let e = t.elapsed();
        println!(
            "{threads} thread(s): {:.0} ns per record, wall ({n} records per thread in {e:?})",
            e.as_nanos() as f64 / n as f64
        );
    }
    let t = Instant::now();
    let text = suara::meters::render(&suara::meters::Snapshot::default());
    println!("render: {:?}, {} bytes", t.elapsed(), text.len());
}
