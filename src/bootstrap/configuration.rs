//! Settings from the environment (`SUARA_*`, plus `DATABASE_URL`), validated once at start-up.
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: String,
    pub port: u16,
    pub database_url: String,
    /// A streaming replica for analytics, reports, exports and the training engine's reads.
    pub database_read_url: Option<String>,
    pub db_max_connections: u32,
    pub base_url: String,
    pub data_dir: PathBuf,
    pub seed_demo: bool,
    pub public_rate_per_min: u32,
    pub public_rate_burst: u32,
    pub trusted_proxies: Vec<IpAddr>,
    pub session_ttl_hours: i64,
    pub body_limit_bytes: usize,
    /// `SUARA_QUEUE_BODY_LIMIT_MB` (16): the largest queue file or batch accepted.
    pub queue_body_limit_bytes: usize,
    /// `SUARA_QUEUE_RETENTION_DAYS` (400): raw queue stamps older than this are removed; the
    /// daily cells they made stay.
    pub queue_retention_days: u32,
    pub mail: MailSettings,
    pub log_filter: String,
    /// Aggregates over fewer responses than this are withheld from anything that leaves the server.
    pub min_cell: u32,
    /// How long a process may serve a unit's survey and services from memory.
    pub cache_ttl_secs: u64,
    /// Fixed minimum responses for a unit to be ranked; unset: Krejcie–Morgan for its population, or 30.
    pub min_rank_n: Option<u64>,
    /// First retry delay of a failed e-mail; doubles each attempt, capped at an hour.
    pub mail_retry_ms: u64,
    /// Where complaint attachments are stored (outside anything served).
    pub attachments_dir: PathBuf,
    /// With the demo units, also seed a year of demo feedback and training history.
    pub seed_demo_history: bool,
    pub training: TrainingSettings,
    /// The SMS gateway's shared secret (`SUARA_SMS_TOKEN`); without it the SMS route is off.
    pub sms_token: Option<String>,
    /// Where SMS replies are POSTed (`SUARA_SMS_SEND_URL`, `http://` or `https://`).
    pub sms_send_url: Option<String>,
    pub whatsapp: WhatsAppSettings,
    /// `SUARA_SMS_NUMBER`: the gateway's number as citizens text it, printed on the posters.
    pub sms_number: Option<String>,
    /// The token RapidPro flows send (`SUARA_RAPIDPRO_TOKEN`); without it the route is off.
    pub rapidpro_token: Option<String>,
    /// RapidPro result names that are not the survey's own codes, `name=CODE,…`
    /// (`SUARA_RAPIDPRO_MAP`, e.g. `kepuasan_1=U1,tunggu=WAIT_MIN`).
    pub rapidpro_map: Vec<(String, String)>,
    /// `SUARA_METRICS_TOKEN`: the bearer token `GET /metrics` wants; unset, `/metrics` is a 404.
    pub metrics_token: Option<String>,
    /// `SUARA_DIGEST_HOUR`: the WIB hour (0–23, default 7) from which supervisors get the daily
    /// digest of due and overdue complaints; `off` (or empty) turns it off.
    pub digest_hour: Option<u32>,
    /// `SUARA_OUTBOX_RETENTION_DAYS` (1–3650, default 30): how long an outbox message keeps its
    /// address and bodies after delivery (or after its last attempt, once given up), and a
    /// finished complaint its contact; see `domain::retention`.
    pub outbox_retention_days: u32,
    /// `SUARA_RESPONSE_RETENTION_MONTHS` (unset: keep every response) and
    /// `SUARA_RESPONSE_RETENTION_DETACH`; see `service::retention::expire_responses`.
    pub response_retention: Option<crate::domain::retention::ResponseRetention>,
}

/// WhatsApp Cloud API: the webhook's secrets and where replies go. The channel is on when both
/// the verify token and the app secret are set.
#[derive(Debug, Clone, Default)]
pub struct WhatsAppSettings {
    /// `SUARA_WHATSAPP_VERIFY_TOKEN`: what Meta's verification handshake must present.
    pub verify_token: Option<String>,
    /// `SUARA_WHATSAPP_APP_SECRET`: the key of the `X-Hub-Signature-256` HMAC.
    pub app_secret: Option<String>,
    /// `SUARA_WHATSAPP_API_URL`: the Graph API base, `https://graph.facebook.com/v21.0` by default.
    pub api_url: String,
    /// `SUARA_WHATSAPP_TOKEN`: the bearer token for sending.
    pub token: Option<String>,
    /// `SUARA_WHATSAPP_PHONE_NUMBER_ID`: the business number replies are sent from.
    pub phone_number_id: Option<String>,
    /// `SUARA_WHATSAPP_NUMBER`: that number as citizens write to it (digits, e.g. `6281100000000`),
    /// printed on the posters with a `wa.me` link.
    pub public_number: Option<String>,
    /// `SUARA_WHATSAPP_TEMPLATE_STATUS`: the name of the approved message template (language
    /// `id`, body parameters: tracking ID, status, note) that carries status news to a citizen
    /// whose last message is older than 24 hours.
    pub status_template: Option<String>,
}

impl WhatsAppSettings {
    /// Whether replies can be sent (a token and the business number's id).
    pub fn can_send(&self) -> bool {
        self.token.is_some() && self.phone_number_id.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct TrainingSettings {
    /// How often each process reruns the recommendation engine (0: only on demand).
    pub interval_mins: u64,
    /// Days before the training and after it compared by the impact evaluation.
    pub before_days: u32,
    pub after_days: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MailTransportKind {
    /// Writes each message as a `.eml` file under `data/mail/`: no SMTP server needed.
    File,
    /// Logs the message and drops it.
    Log,
    /// SMTP; `smtp://` (STARTTLS when `?tls=required`), `smtps://` (implicit TLS).
    Smtp(String),
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    pub from: String,
    /// How long a process holds a claimed outbox message; one send may take at most half of it.
    pub lease_secs: u64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("invalid configuration: {var}={value:?}: {reason}")]
pub struct ConfigError {
    pub var: String,
    pub value: String,
    pub reason: String,
}

/// The engines Suara speaks: `sqlite:…` or `postgres://…`.
fn is_database_url(url: &str) -> bool {
    url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn err(var: &str, value: &str, reason: &str) -> ConfigError {
    ConfigError {
        var: var.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get`, so tests can pass a map instead of mutating the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(get("SUARA_DATA_DIR").unwrap_or_else(|| "data".into()));
        let port = parse_num::<u16>(&get, "SUARA_PORT", 8080)?;
        let database_url = get("DATABASE_URL")
            .or_else(|| get("SUARA_DATABASE_URL"))
            .unwrap_or_else(|| format!("sqlite://{}/suara.db?mode=rwc", data_dir.display()));
        if !is_database_url(&database_url) {
            return Err(err(
                "DATABASE_URL",
                &database_url,
                "expected a sqlite:// or postgres:// URL",
            ));
        }
        let database_read_url = get("DATABASE_READ_URL");
        if let Some(u) = &database_read_url
            && !is_database_url(u)
        {
            return Err(err(
                "DATABASE_READ_URL",
                u,
                "expected a sqlite:// or postgres:// URL",
            ));
        }
        let is_sqlite = database_url.starts_with("sqlite:");
        let db_max_connections = parse_num::<u32>(
            &get,
            "SUARA_DB_MAX_CONNECTIONS",
            if is_sqlite { 8 } else { 16 },
        )?;
        if db_max_connections == 0 {
            return Err(err("SUARA_DB_MAX_CONNECTIONS", "0", "must be at least 1"));
        }
        let base_url = get("SUARA_BASE_URL").unwrap_or_else(|| format!("http://127.0.0.1:{port}"));
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(err(
                "SUARA_BASE_URL",
                &base_url,
                "expected an http:// or https:// URL",
            ));
        }
        let trusted_proxies = match get("SUARA_TRUSTED_PROXIES") {
            None => vec![],
            Some(v) => v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<IpAddr>().map_err(|_| {
                        err(
                            "SUARA_TRUSTED_PROXIES",
                            &v,
                            "expected a comma-separated list of IP addresses",
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let transport = match get("SUARA_MAIL_TRANSPORT").as_deref() {
            None | Some("file") => MailTransportKind::File,
            Some("log") => MailTransportKind::Log,
            Some("smtp") => {
                let url = get("SUARA_SMTP_URL").ok_or_else(|| {
                    err(
                        "SUARA_SMTP_URL",
                        "",
                        "required when SUARA_MAIL_TRANSPORT=smtp",
                    )
                })?;
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(err("SUARA_SMTP_URL", &url, "expected smtp:// or smtps://"));
                }
                MailTransportKind::Smtp(url)
            }
            Some(other) => {
                return Err(err(
                    "SUARA_MAIL_TRANSPORT",
                    other,
                    "expected file, log or smtp",
                ));
            }
        };
        let from = get("SUARA_MAIL_FROM").unwrap_or_else(|| "Suara <suara@localhost>".into());
        if !from.contains('@') {
            return Err(err("SUARA_MAIL_FROM", &from, "expected an e-mail address"));
        }
        let lease_secs = parse_num(&get, "SUARA_MAIL_LEASE_SECS", 120u64)?;
        if lease_secs < 2 {
            return Err(err(
                "SUARA_MAIL_LEASE_SECS",
                &lease_secs.to_string(),
                "must be at least 2",
            ));
        }
        Ok(Settings {
            addr: get("SUARA_ADDR").unwrap_or_else(|| "127.0.0.1".into()),
            port,
            database_url,
            database_read_url,
            db_max_connections,
            base_url: base_url.trim_end_matches('/').to_string(),
            data_dir: data_dir.clone(),
            seed_demo: parse_bool(&get, "SUARA_SEED_DEMO", true)?,
            public_rate_per_min: parse_num(&get, "SUARA_PUBLIC_RATE_PER_MIN", 60)?,
            public_rate_burst: parse_num(&get, "SUARA_PUBLIC_RATE_BURST", 120)?,
            trusted_proxies,
            session_ttl_hours: parse_num(&get, "SUARA_SESSION_TTL_HOURS", 12)?,
            body_limit_bytes: parse_num::<usize>(&get, "SUARA_BODY_LIMIT_KB", 64)? * 1024,
            queue_body_limit_bytes: parse_num::<usize>(&get, "SUARA_QUEUE_BODY_LIMIT_MB", 16)?
                .clamp(1, 512)
                * 1024
                * 1024,
            queue_retention_days: parse_num::<u32>(&get, "SUARA_QUEUE_RETENTION_DAYS", 400)?.max(1),
            mail: MailSettings {
                transport,
                from,
                lease_secs,
            },
            log_filter: get("SUARA_LOG").unwrap_or_else(|| "info".into()),
            min_cell: parse_num(&get, "SUARA_MIN_CELL", 5)?,
            cache_ttl_secs: parse_num(&get, "SUARA_CACHE_TTL_SECS", 10)?,
            min_rank_n: match get("SUARA_MIN_RANK_N") {
                None => None,
                Some(_) => Some(parse_num(&get, "SUARA_MIN_RANK_N", 30u64)?),
            },
            mail_retry_ms: parse_num(&get, "SUARA_MAIL_RETRY_MS", 30_000u64)?,
            attachments_dir: data_dir.join("attachments"),
            seed_demo_history: parse_bool(&get, "SUARA_SEED_DEMO_HISTORY", true)?,
            training: TrainingSettings {
                interval_mins: parse_num(&get, "SUARA_TRAINING_INTERVAL_MINS", 60)?,
                before_days: parse_window(&get, "SUARA_IMPACT_BEFORE_DAYS")?,
                after_days: parse_window(&get, "SUARA_IMPACT_AFTER_DAYS")?,
            },
            sms_token: get("SUARA_SMS_TOKEN").filter(|v| !v.trim().is_empty()),
            sms_send_url: get("SUARA_SMS_SEND_URL").filter(|v| !v.trim().is_empty()),
            whatsapp: WhatsAppSettings {
                verify_token: get("SUARA_WHATSAPP_VERIFY_TOKEN").filter(|v| !v.trim().is_empty()),
                app_secret: get("SUARA_WHATSAPP_APP_SECRET").filter(|v| !v.trim().is_empty()),
                api_url: get("SUARA_WHATSAPP_API_URL")
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| "https://graph.facebook.com/v21.0".into())
                    .trim_end_matches('/')
                    .to_string(),
                token: get("SUARA_WHATSAPP_TOKEN").filter(|v| !v.trim().is_empty()),
                phone_number_id: get("SUARA_WHATSAPP_PHONE_NUMBER_ID")
                    .filter(|v| !v.trim().is_empty()),
                status_template: get("SUARA_WHATSAPP_TEMPLATE_STATUS")
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty()),
                public_number: get("SUARA_WHATSAPP_NUMBER")
                    .map(|v| v.chars().filter(char::is_ascii_digit).collect::<String>())
                    .filter(|v| !v.is_empty()),
            },
            sms_number: get("SUARA_SMS_NUMBER").filter(|v| !v.trim().is_empty()),
            rapidpro_token: get("SUARA_RAPIDPRO_TOKEN").filter(|v| !v.trim().is_empty()),
            rapidpro_map: parse_map(get("SUARA_RAPIDPRO_MAP").as_deref().unwrap_or(""))?,
            metrics_token: get("SUARA_METRICS_TOKEN").map(|v| v.trim().to_string()),
            digest_hour: parse_digest_hour(get("SUARA_DIGEST_HOUR").as_deref())?,
            outbox_retention_days: parse_retention(&get)?,
            response_retention: parse_response_retention(&get)?,
        })
    }

    /// Whether the WhatsApp webhook is configured (both of its secrets set).
    pub fn whatsapp_on(&self) -> bool {
        self.whatsapp.verify_token.is_some() && self.whatsapp.app_secret.is_some()
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

fn parse_num<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    var: &str,
    default: T,
) -> Result<T, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| err(var, &v, "expected a non-negative whole number in range")),
    }
}

/// Unset: 7 (WIB). `off`, `false`, `no`, `none` or empty: no digest. Otherwise an hour 0–23.
fn parse_digest_hour(v: Option<&str>) -> Result<Option<u32>, ConfigError> {
    let Some(raw) = v else {
        return Ok(Some(7));
    };
    let t = raw.trim().to_ascii_lowercase();
    if ["", "off", "false", "no", "none"].contains(&t.as_str()) {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(h) if h < 24 => Ok(Some(h)),
        _ => Err(err(
            "SUARA_DIGEST_HOUR",
            raw,
            "expected an hour 0 to 23, or off",
        )),
    }
}

fn parse_window(get: &impl Fn(&str) -> Option<String>, var: &str) -> Result<u32, ConfigError> {
    let v: u32 = parse_num(get, var, 90)?;
    if !(14..=730).contains(&v) {
        return Err(err(var, &v.to_string(), "expected 14 to 730 days"));
    }
    Ok(v)
}

fn parse_retention(get: &impl Fn(&str) -> Option<String>) -> Result<u32, ConfigError> {
    use crate::domain::retention::{DEFAULT_DAYS, MAX_DAYS, MIN_DAYS};
    let var = "SUARA_OUTBOX_RETENTION_DAYS";
    let v: u32 = parse_num(get, var, DEFAULT_DAYS)?;
    if !(MIN_DAYS..=MAX_DAYS).contains(&v) {
        return Err(err(var, &v.to_string(), "expected 1 to 3650 days"));
    }
    Ok(v)
}

/// Whole months, 1 to 1200; unset, empty or `keep`: nothing is removed.
fn parse_response_retention(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<crate::domain::retention::ResponseRetention>, ConfigError> {
    let var = "SUARA_RESPONSE_RETENTION_MONTHS";
    let v = get(var).unwrap_or_default();
    let v = v.trim();
    if v.is_empty() || v.eq_ignore_ascii_case("keep") {
        return Ok(None);
    }
    let months: u32 = v
        .parse()
        .ok()
        .filter(|m| (1..=1200).contains(m))
        .ok_or_else(|| err(var, v, "expected 1 to 1200 months, or keep"))?;
    Ok(Some(crate::domain::retention::ResponseRetention {
        months,
        detach_only: parse_bool(get, "SUARA_RESPONSE_RETENTION_DETACH", false)?,
    }))
}

fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    var: &str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(var).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
        Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
        Some(v) => Err(err(var, &v, "expected true or false")),
    }
}

/// `name=CODE,name=CODE`: names are compared case-insensitively, so they are kept lowercase.
fn parse_map(v: &str) -> Result<Vec<(String, String)>, ConfigError> {
    v.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, c)) if !k.trim().is_empty() && !c.trim().is_empty() => {
                Ok((k.trim().to_lowercase(), c.trim().to_string()))
            }
            _ => Err(err("SUARA_RAPIDPRO_MAP", p, "expected name=CODE")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_hour_defaults_to_seven_and_can_be_turned_off() {
        assert_eq!(parse_digest_hour(None).unwrap(), Some(7));
        assert_eq!(parse_digest_hour(Some(" 18 ")).unwrap(), Some(18));
        assert_eq!(parse_digest_hour(Some("0")).unwrap(), Some(0));
        assert_eq!(parse_digest_hour(Some("OFF")).unwrap(), None);
        assert_eq!(parse_digest_hour(Some("")).unwrap(), None);
        assert!(parse_digest_hour(Some("24")).is_err());
        assert!(parse_digest_hour(Some("pagi")).is_err());
    }

    #[test]
    fn a_rapidpro_map_reads_pairs_and_refuses_half_pairs() {
        assert_eq!(
            parse_map(" Kepuasan_1=U1, tunggu = WAIT_MIN ,").unwrap(),
            vec![
                ("kepuasan_1".to_string(), "U1".to_string()),
                ("tunggu".to_string(), "WAIT_MIN".to_string())
            ]
        );
        assert!(parse_map("").unwrap().is_empty());
        assert!(parse_map("u1").is_err());
        assert!(parse_map("=U1").is_err());
    }
    use std::collections::HashMap;

    fn with(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_make_cargo_run_work() {
        let s = with(&[]).unwrap();
        assert_eq!(s.port, 8080);
        assert_eq!(s.database_url, "sqlite://data/suara.db?mode=rwc");
        assert!(s.seed_demo);
        assert_eq!(s.mail.transport, MailTransportKind::File);
    }

    #[test]
    fn the_outbox_retention_defaults_to_thirty_days_within_one_to_3650() {
        assert_eq!(with(&[]).unwrap().outbox_retention_days, 30);
        let months = |v: &str| with(&[("SUARA_RESPONSE_RETENTION_MONTHS", v)]);
        assert_eq!(with(&[]).unwrap().response_retention, None);
        assert_eq!(months(" keep ").unwrap().response_retention, None);
        let r = months("24").unwrap().response_retention.unwrap();
        assert_eq!((r.months, r.detach_only), (24, false));
        assert!(months("0").is_err() && months("1201").is_err() && months("two").is_err());
        let detach = with(&[
            ("SUARA_RESPONSE_RETENTION_MONTHS", "12"),
            ("SUARA_RESPONSE_RETENTION_DETACH", "true"),
        ]);
        assert!(detach.unwrap().response_retention.unwrap().detach_only);
        let days = |v: &str| with(&[("SUARA_OUTBOX_RETENTION_DAYS", v)]);
        assert_eq!(days(" 7 ").unwrap().outbox_retention_days, 7);
        assert_eq!(days("3650").unwrap().outbox_retention_days, 3650);
        for bad in ["0", "3651", "-1", "30d", "1.5"] {
            assert_eq!(
                days(bad).unwrap_err().var,
                "SUARA_OUTBOX_RETENTION_DAYS",
                "{bad}"
            );
        }
    }

    #[test]
    fn invalid_values_name_the_variable() {
        let e = with(&[("SUARA_PORT", "eighty")]).unwrap_err();
        assert_eq!(e.var, "SUARA_PORT");
        assert!(
            with(&[("SUARA_SEED_DEMO", "maybe")])
                .unwrap_err()
                .to_string()
                .contains("SUARA_SEED_DEMO")
        );
        assert_eq!(
            with(&[("DATABASE_URL", "mysql://x")]).unwrap_err().var,
            "DATABASE_URL"
        );
        assert_eq!(
            with(&[("SUARA_TRUSTED_PROXIES", "10.0.0.1,nope")])
                .unwrap_err()
                .var,
            "SUARA_TRUSTED_PROXIES"
        );
        assert_eq!(
            with(&[("SUARA_MAIL_TRANSPORT", "smtp")]).unwrap_err().var,
            "SUARA_SMTP_URL"
        );
    }
}
