//! A tiny XML writer for the GeoReport answers: elements and escaped text, nothing more.
//! Characters XML 1.0 cannot carry (control characters other than tab and line ends) are dropped.
use crate::service::open311::{
    Open311Discovery, Open311Filed, Open311Request, Open311Service, Open311ServiceDefinition,
    Open311Token,
};

pub struct Xml(String);

impl Default for Xml {
    fn default() -> Self {
        Xml(r#"<?xml version="1.0" encoding="utf-8"?>"#.to_string())
    }
}

/// `s` as XML text or attribute content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Xml {
    pub fn open(&mut self, tag: &str) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    pub fn close(&mut self, tag: &str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    /// `<tag>text</tag>`.
    pub fn text(&mut self, tag: &str, text: &str) -> &mut Self {
        self.open(tag);
        self.0.push_str(&escape(text));
        self.close(tag)
    }

    /// `<tag>text</tag>`, or `<tag/>` for nothing.
    pub fn opt(&mut self, tag: &str, text: Option<&str>) -> &mut Self {
        match text {
            Some(t) => self.text(tag, t),
            None => {
                self.0.push('<');
                self.0.push_str(tag);
                self.0.push_str("/>");
                self
            }
        }
    }

    pub fn finish(&self) -> String {
        self.0.clone()
    }
}

pub fn discovery(d: &Open311Discovery) -> String {
    let mut x = Xml::default();
    x.open("discovery")
        .text("changeset", &d.changeset)
        .text("contact", &d.contact)
        .text("key_service", &d.key_service)
        .open("endpoints");
    for e in &d.endpoints {
        x.open("endpoint")
            .text("specification", &e.specification)
            .text("url", &e.url)
            .text("changeset", &e.changeset)
            .text("type", &e.kind)
            .open("formats");
        for f in &e.formats {
            x.text("format", f);
        }
        x.close("formats").close("endpoint");
    }
    x.close("endpoints").close("discovery");
    x.finish()
}

pub fn services(list: &[Open311Service]) -> String {
    let mut x = Xml::default();
    x.open("services");
    for s in list {
        x.open("service")
            .text("service_code", &s.service_code)
            .text("service_name", &s.service_name)
            .text("description", &s.description)
            .text("metadata", if s.metadata { "true" } else { "false" })
            .text("type", &s.kind)
            .text("keywords", &s.keywords)
            .text("group", &s.group)
            .close("service");
    }
    x.close("services");
    x.finish()
}

pub fn definition(d: &Open311ServiceDefinition) -> String {
    let mut x = Xml::default();
    x.open("service_definition")
        .text("service_code", &d.service_code)
        .open("attributes");
    for a in &d.attributes {
        x.open("attribute")
            .text("variable", if a.variable { "true" } else { "false" })
            .text("code", &a.code)
            .text("datatype", &a.datatype)
            .text("required", if a.required { "true" } else { "false" })
            .text("datatype_description", &a.datatype_description)
            .text("order", &a.order.to_string())
            .text("description", &a.description)
            .open("values");
        for v in &a.values {
            x.open("value")
                .text("key", &v.key)
                .text("name", &v.name)
                .close("value");
        }
        x.close("values").close("attribute");
    }
    x.close("attributes").close("service_definition");
    x.finish()
}

pub fn requests(list: &[Open311Request]) -> String {
    let mut x = Xml::default();
    x.open("service_requests");
    for r in list {
        let num = |v: Option<f64>| v.map(|n| n.to_string());
        x.open("request")
            .text("service_request_id", &r.service_request_id)
            .text("status", &r.status)
            .opt("status_notes", r.status_notes.as_deref())
            .opt("service_name", r.service_name.as_deref())
            .opt("service_code", r.service_code.as_deref())
            .opt("description", r.description.as_deref())
            .opt("agency_responsible", r.agency_responsible.as_deref())
            .opt("service_notice", r.service_notice.as_deref())
            .text("requested_datetime", &r.requested_datetime)
            .text("updated_datetime", &r.updated_datetime)
            .opt("expected_datetime", r.expected_datetime.as_deref())
            .opt("address", r.address.as_deref())
            .opt("address_id", r.address_id.as_deref())
            .opt("zipcode", r.zipcode.as_deref())
            .opt("lat", num(r.lat).as_deref())
            .opt("long", num(r.long).as_deref())
            .opt("media_url", r.media_url.as_deref())
            .close("request");
    }
    x.close("service_requests");
    x.finish()
}

pub fn filed(list: &[Open311Filed]) -> String {
    let mut x = Xml::default();
    x.open("service_requests");
    for r in list {
        x.open("request")
            .text("service_request_id", &r.service_request_id)
            .opt("service_notice", r.service_notice.as_deref())
            .opt("account_id", r.account_id.as_deref())
            .close("request");
    }
    x.close("service_requests");
    x.finish()
}

pub fn tokens(list: &[Open311Token]) -> String {
    let mut x = Xml::default();
    x.open("service_requests");
    for t in list {
        x.open("request")
            .text("service_request_id", &t.service_request_id)
            .text("token", &t.token)
            .close("request");
    }
    x.close("service_requests");
    x.finish()
}

/// `<errors><error><code/><description/></error></errors>`.
pub fn errors(list: &[(u16, String)]) -> String {
    let mut x = Xml::default();
    x.open("errors");
    for (code, description) in list {
        x.open("error")
            .text("code", &code.to_string())
            .text("description", description)
            .close("error");
    }
    x.close("errors");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_cleaned() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{0}\u{1b}\ttab"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\ttab"
        );
        assert_eq!(
            errors(&[(404, "Tidak ada <x>".into())]),
            r#"<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code><description>Tidak ada &lt;x&gt;</description></error></errors>"#
        );
    }
}
