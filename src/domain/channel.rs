//! The doors feedback comes through. Stored and reported by name (`qr`, `web`, …); this is the
//! one list of those names, so the intake, the exports and the metrics cannot drift apart.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// The survey page opened from a unit's QR poster.
    Qr,
    Web,
    /// A tablet at the unit's counter.
    Kiosk,
    Api,
    Sms,
    Whatsapp,
    Rapidpro,
    Open311,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Qr,
        Channel::Web,
        Channel::Kiosk,
        Channel::Api,
        Channel::Sms,
        Channel::Whatsapp,
        Channel::Rapidpro,
        Channel::Open311,
    ];
    /// Where survey responses come in (Open311 carries complaints only).
    pub const RESPONSES: [Channel; 7] = [
        Channel::Qr,
        Channel::Web,
        Channel::Kiosk,
        Channel::Api,
        Channel::Sms,
        Channel::Whatsapp,
        Channel::Rapidpro,
    ];
    /// Where complaints come in.
    pub const COMPLAINTS: [Channel; 5] = [
        Channel::Web,
        Channel::Api,
        Channel::Whatsapp,
        Channel::Sms,
        Channel::Open311,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Qr => "qr",
            Channel::Web => "web",
            Channel::Kiosk => "kiosk",
            Channel::Api => "api",
            Channel::Sms => "sms",
            Channel::Whatsapp => "whatsapp",
            Channel::Rapidpro => "rapidpro",
            Channel::Open311 => "open311",
        }
    }

    /// The name people know it by (spreadsheets and pages for people).
    pub const fn label(self) -> &'static str {
        match self {
            Channel::Qr => "QR",
            Channel::Web => "Web",
            Channel::Kiosk => "Kios",
            Channel::Api => "API",
            Channel::Sms => "SMS",
            Channel::Whatsapp => "WhatsApp",
            Channel::Rapidpro => "RapidPro",
            Channel::Open311 => "Open311",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The names of `list`, as stored and reported.
    pub const fn names<const N: usize>(list: [Channel; N]) -> [&'static str; N] {
        let mut out = [""; N];
        let mut i = 0;
        while i < N {
            out[i] = list[i].as_str();
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Channel;

    #[test]
    fn every_name_parses_back_and_the_doors_are_subsets_of_all() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
        assert!(Channel::RESPONSES.iter().all(|c| Channel::ALL.contains(c)));
        assert!(Channel::COMPLAINTS.iter().all(|c| Channel::ALL.contains(c)));
        assert_eq!(
            Channel::names(Channel::COMPLAINTS),
            ["web", "api", "whatsapp", "sms", "open311"]
        );
    }
}
