//! Prometheus metrics: every name is defined here, once, with what records it. The recorder is
//! process-wide (installed once however many apps a test process starts); without it the
//! recording calls do nothing (the command-line tools). `GET /metrics` renders it.
//!
//! Plain functions over the `metrics` facade, no HTTP and no SQL, so every layer may call them.
use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUEST_DURATION: &str = "suara_http_request_duration_seconds";
pub const RESPONSES_ACCEPTED: &str = "suara_responses_accepted_total";
pub const COMPLAINTS_FILED: &str = "suara_complaints_filed_total";
pub const RESPONSE_BATCH_SIZE: &str = "suara_response_batch_size";
pub const OUTBOX_PENDING: &str = "suara_outbox_pending";
pub const OUTBOX_OLDEST_AGE: &str = "suara_outbox_oldest_pending_age_seconds";
pub const OUTBOX_SENT: &str = "suara_outbox_sent_total";
pub const OUTBOX_FAILURES: &str = "suara_outbox_send_failures_total";
pub const RATE_LIMITED: &str = "suara_rate_limited_total";
pub const QUEUE_EVENTS: &str = "suara_queue_events_total";
pub const DB_POOL_CONNECTIONS: &str = "suara_db_pool_connections";
pub const DB_POOL_MAX: &str = "suara_db_pool_max_connections";

/// The outbox transports, each always listed (0 when its queue is empty).
pub const TRANSPORTS: [&str; 3] = ["email", "sms", "whatsapp"];

/// Request durations: 1 ms to 10 s (the intake answers in single milliseconds, analytics in tens).
const DURATION_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
/// Group-commit batch sizes: the writer takes up to 256 at once.
const BATCH_BUCKETS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the global recorder once and returns its handle. Histograms keep their samples until
/// the next upkeep, so a thread of its own folds them into the buckets every few seconds.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(HTTP_REQUEST_DURATION.into()),
                &DURATION_BUCKETS,
            )
            .and_then(|b| {
                b.set_buckets_for_metric(Matcher::Full(RESPONSE_BATCH_SIZE.into()), &BATCH_BUCKETS)
            })
            .expect("bucket lists are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics stays empty");
        }
        describe();
        let upkeep = handle.clone();
        let _ = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                }
            });
        handle
    })
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_histogram};
    describe_histogram!(
        HTTP_REQUEST_DURATION,
        Unit::Seconds,
        "HTTP requests by matched route pattern, method and status"
    );
    describe_counter!(RESPONSES_ACCEPTED, "Survey responses stored, by channel");
    describe_counter!(COMPLAINTS_FILED, "Complaints filed, by channel");
    describe_histogram!(
        RESPONSE_BATCH_SIZE,
        Unit::Count,
        "Responses committed together by the group-commit writer"
    );
    describe_counter!(
        OUTBOX_SENT,
        "Outbox messages sent by this process, by transport"
    );
    describe_counter!(
        OUTBOX_FAILURES,
        "Failed outbox sends by this process (each is retried), by transport"
    );
    describe_counter!(
        QUEUE_EVENTS,
        "Queue stamps delivered to this process, by outcome (accepted, duplicate, rejected)"
    );
    describe_counter!(
        RATE_LIMITED,
        "Requests refused with 429 by this process, by limit (public, login)"
    );
}

/// One HTTP request: `route` is the matched pattern (`/u/{slug}`), never the raw path.
pub fn http_request(route: String, method: &str, status: u16, elapsed: Duration) {
    histogram!(
        HTTP_REQUEST_DURATION,
        "route" => route,
        "method" => method_label(method),
        "status" => status_label(status),
    )
    .record(elapsed.as_secs_f64());
}

fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

fn status_label(status: u16) -> &'static str {
    // Static strings: no allocation per request for the common statuses.
    match status {
        200 => "200",
        201 => "201",
        204 => "204",
        301 => "301",
        302 => "302",
        303 => "303",
        304 => "304",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        409 => "409",
        413 => "413",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        s if s < 200 => "1xx",
        s if s < 300 => "2xx",
        s if s < 400 => "3xx",
        s if s < 500 => "4xx",
        _ => "5xx",
    }
}

/// A channel label is one of the fixed channel names the intake checks; anything else is `other`.
fn channel_label(channel: &str) -> &'static str {
    crate::domain::channel::Channel::parse(channel).map_or("other", |c| c.as_str())
}

pub fn response_accepted(channel: &str) {
    counter!(RESPONSES_ACCEPTED, "channel" => channel_label(channel)).increment(1);
}

pub fn complaint_filed(channel: &str) {
    counter!(COMPLAINTS_FILED, "channel" => channel_label(channel)).increment(1);
}

pub fn response_batch(size: usize) {
    histogram!(RESPONSE_BATCH_SIZE).record(size as f64);
}

fn transport_label(transport: &str) -> &'static str {
    TRANSPORTS
        .into_iter()
        .find(|t| *t == transport)
        .unwrap_or("other")
}

pub fn outbox_sent(transport: &str) {
    counter!(OUTBOX_SENT, "transport" => transport_label(transport)).increment(1);
}

pub fn outbox_failed(transport: &str) {
    counter!(OUTBOX_FAILURES, "transport" => transport_label(transport)).increment(1);
}

/// One delivery of queue stamps: how many were stored, known already, refused.
pub fn queue_events(accepted: u64, duplicates: u64, rejected: u64) {
    counter!(QUEUE_EVENTS, "outcome" => "accepted").increment(accepted);
    counter!(QUEUE_EVENTS, "outcome" => "duplicate").increment(duplicates);
    counter!(QUEUE_EVENTS, "outcome" => "rejected").increment(rejected);
}

/// A request refused by a rate limit: `public` (citizen POSTs) or `login` (the login throttle).
pub fn rate_limited(limit: &'static str) {
    counter!(RATE_LIMITED, "limit" => limit).increment(1);
}

/// What a scrape reads from this app's database and pool, rendered after the recorder's text.
/// Kept out of the global recorder: several apps in one process (the tests) each report their own.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// (transport, unsent messages, age of the oldest); `None` when the database did not answer.
    pub outbox: Option<Vec<(String, u64, Duration)>>,
    /// Pool connections (in use, idle, the limit).
    pub pool: (u32, u32, u32),
}

/// The text exposition: what the recorder holds, then the scrape-time gauges of `snap`.
pub fn render(snap: &Snapshot) -> String {
    use std::fmt::Write;
    let mut out = HANDLE.get().map(|h| h.render()).unwrap_or_default();
    let mut gauge = |name: &str, help: &str, samples: &[(String, f64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for (labels, v) in samples {
            let _ = writeln!(out, "{name}{labels} {v}");
        }
        out.push('\n');
    };
    if let Some(rows) = &snap.outbox {
        let find = |t: &str| {
            rows.iter()
                .find(|(x, _, _)| x == t)
                .map(|(_, n, a)| (*n, *a))
                .unwrap_or_default()
        };
        let mut pending = vec![];
        let mut ages = vec![];
        for t in TRANSPORTS {
            let (n, age) = find(t);
            pending.push((format!("{{transport=\"{t}\"}}"), n as f64));
            ages.push((format!("{{transport=\"{t}\"}}"), age.as_secs_f64()));
        }
        gauge(
            OUTBOX_PENDING,
            "Outbox messages not yet sent, by transport (the whole database, read at scrape time)",
            &pending,
        );
        gauge(
            OUTBOX_OLDEST_AGE,
            "Age in seconds of the oldest unsent outbox message, by transport (0 when none waits)",
            &ages,
        );
    }
    let (in_use, idle, max) = snap.pool;
    gauge(
        DB_POOL_CONNECTIONS,
        "Database pool connections of this process, by state",
        &[
            ("{state=\"in_use\"}".into(), f64::from(in_use)),
            ("{state=\"idle\"}".into(), f64::from(idle)),
        ],
    );
    gauge(
        DB_POOL_MAX,
        "The database pool's size limit",
        &[(String::new(), f64::from(max))],
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_bounded() {
        assert_eq!(status_label(201), "201");
        assert_eq!(status_label(418), "4xx");
        assert_eq!(method_label("BREW"), "other");
        assert_eq!(channel_label("whatsapp"), "whatsapp");
        assert_eq!(channel_label("anything a client sends"), "other");
        assert_eq!(transport_label("sms"), "sms");
        assert_eq!(transport_label("pigeon"), "other");
    }

    #[test]
    fn scrape_time_gauges_list_every_transport() {
        let text = render(&Snapshot {
            outbox: Some(vec![("sms".into(), 3, Duration::from_millis(1500))]),
            pool: (2, 6, 8),
        });
        for line in [
            "# TYPE suara_outbox_pending gauge",
            "suara_outbox_pending{transport=\"sms\"} 3",
            "suara_outbox_pending{transport=\"email\"} 0",
            "suara_outbox_oldest_pending_age_seconds{transport=\"sms\"} 1.5",
            "suara_db_pool_connections{state=\"in_use\"} 2",
            "suara_db_pool_max_connections 8",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
        let away = render(&Snapshot::default());
        assert!(
            !away.contains("suara_outbox_pending"),
            "no outbox series when the database is away"
        );
    }
}
