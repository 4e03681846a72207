//! How a citizen hears back about their complaint: the channel they chose among those Suara can
//! send on, or the default for what they left (an e-mail → e-mail; only a phone → WhatsApp,
//! else SMS), and whether WhatsApp may still answer with free text (24 hours after the
//! citizen's last message) or needs an approved template.
use chrono::{DateTime, Duration, Utc};

/// The channels news can go out on, as stored in `complaints.notify_via`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewsChannel {
    Email,
    WhatsApp,
    Sms,
}

impl NewsChannel {
    pub const ALL: [NewsChannel; 3] = [NewsChannel::Email, NewsChannel::WhatsApp, NewsChannel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            NewsChannel::Email => "email",
            NewsChannel::WhatsApp => "whatsapp",
            NewsChannel::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Which chat channels this installation can send on (e-mail always can: its worst transport
/// still keeps the message).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Configured {
    pub whatsapp: bool,
    pub sms: bool,
}

impl Configured {
    pub fn offers(self, c: NewsChannel) -> bool {
        match c {
            NewsChannel::Email => true,
            NewsChannel::WhatsApp => self.whatsapp,
            NewsChannel::Sms => self.sms,
        }
    }

    /// The channels a form offers, in the order it lists them.
    pub fn offered(self) -> Vec<NewsChannel> {
        NewsChannel::ALL
            .into_iter()
            .filter(|c| self.offers(*c))
            .collect()
    }
}

/// The channel news goes out on, or the message key of the problem with `contact.notify`.
/// `requested` is what the citizen chose (absent or empty: the default).
pub fn choose(
    requested: Option<&str>,
    has_email: bool,
    has_phone: bool,
    configured: Configured,
) -> Result<Option<NewsChannel>, &'static str> {
    let Some(r) = requested.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(if has_email {
            Some(NewsChannel::Email)
        } else if has_phone && configured.whatsapp {
            Some(NewsChannel::WhatsApp)
        } else if has_phone && configured.sms {
            Some(NewsChannel::Sms)
        } else {
            None
        });
    };
    let Some(c) = NewsChannel::parse(r).filter(|c| configured.offers(*c)) else {
        return Err("v_choice");
    };
    let reachable = match c {
        NewsChannel::Email => has_email,
        NewsChannel::WhatsApp | NewsChannel::Sms => has_phone,
    };
    if reachable {
        Ok(Some(c))
    } else {
        Err(match c {
            NewsChannel::Email => "v_notify_needs_email",
            _ => "v_notify_needs_phone",
        })
    }
}

/// How long after a citizen's last message WhatsApp takes free text from a business.
pub const WHATSAPP_WINDOW_HOURS: i64 = 24;

/// Whether a WhatsApp text may go to a citizen who last wrote at `last_inbound` (never: no).
pub fn whatsapp_window_open(last_inbound: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_inbound.is_some_and(|t| now - t < Duration::hours(WHATSAPP_WINDOW_HOURS))
}

/// A phone number as WhatsApp names the account (`wa_id`): digits only, with Indonesia's
/// country code in place of a national leading 0 ("0812-3456-789" → "628123456789").
pub fn wa_id(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let id = match digits.strip_prefix('0') {
        Some(rest) => format!("62{rest}"),
        None => digits,
    };
    (8..=15).contains(&id.len()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: Configured = Configured {
        whatsapp: true,
        sms: true,
    };
    const SMS_ONLY: Configured = Configured {
        whatsapp: false,
        sms: true,
    };
    const NONE: Configured = Configured {
        whatsapp: false,
        sms: false,
    };

    #[test]
    fn defaults_follow_what_the_citizen_left() {
        use NewsChannel::*;
        assert_eq!(choose(None, true, true, BOTH), Ok(Some(Email)));
        assert_eq!(choose(None, false, true, BOTH), Ok(Some(WhatsApp)));
        assert_eq!(choose(Some(" "), false, true, SMS_ONLY), Ok(Some(Sms)));
        assert_eq!(choose(None, false, true, NONE), Ok(None));
        assert_eq!(choose(None, false, false, BOTH), Ok(None));
    }

    #[test]
    fn a_choice_must_be_offered_and_reachable() {
        use NewsChannel::*;
        assert_eq!(choose(Some("sms"), true, true, BOTH), Ok(Some(Sms)));
        assert_eq!(
            choose(Some("whatsapp"), false, true, SMS_ONLY),
            Err("v_choice")
        );
        assert_eq!(choose(Some("pigeon"), true, true, BOTH), Err("v_choice"));
        assert_eq!(
            choose(Some("email"), false, true, BOTH),
            Err("v_notify_needs_email")
        );
        assert_eq!(
            choose(Some("whatsapp"), true, false, BOTH),
            Err("v_notify_needs_phone")
        );
    }

    #[test]
    fn the_window_is_24_hours_from_the_last_message() {
        let now = "2026-12-05T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert!(!whatsapp_window_open(None, now));
        assert!(whatsapp_window_open(Some(now - Duration::hours(23)), now));
        assert!(!whatsapp_window_open(Some(now - Duration::hours(24)), now));
    }

    #[test]
    fn numbers_become_wa_ids() {
        assert_eq!(wa_id("0812-3456-789").as_deref(), Some("628123456789"));
        assert_eq!(wa_id("+62 812 3456 789").as_deref(), Some("628123456789"));
        assert_eq!(wa_id("628123456789").as_deref(), Some("628123456789"));
        assert_eq!(wa_id("0812"), None);
    }
}
