//! CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads the Indonesian names
//! right), a header row, RFC 4180 quoting (the `csv` crate), CRLF line ends, `.` as the decimal
//! point, empty cells for withheld values.
use crate::domain::measures::Measures;
use crate::domain::spreadsheet::neutralise;
use crate::service::analytics::{Overview, UnitAnalytics};
use crate::service::channels_by_period::ChannelCounts;

/// A CSV document being written: the byte-order mark, then one record per `row`.
pub struct Table(csv::Writer<Vec<u8>>);

impl Default for Table {
    fn default() -> Self {
        Self::new()
    }
}

impl Table {
    pub fn new() -> Table {
        Table::writing("\u{feff}".as_bytes().to_vec())
    }

    /// More rows of a document whose start (byte-order mark, header) was already sent: for
    /// CSV streamed a page at a time.
    pub fn continuation() -> Table {
        Table::writing(Vec::new())
    }

    fn writing(start: Vec<u8>) -> Table {
        Table(
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .flexible(true)
                .from_writer(start),
        )
    }

    /// One record; a cell is quoted only when it holds a comma, a quote or a line break, and a
    /// cell a spreadsheet would read as a formula is neutralised
    /// ([`crate::domain::spreadsheet::neutralise`]).
    pub fn row<I>(&mut self, cells: I)
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let mut record = csv::ByteRecord::new();
        for c in cells {
            record.push_field(&neutralise(c.as_ref()));
        }
        self.0
            .write_byte_record(&record)
            .expect("writing CSV into memory does not fail");
    }

    pub fn finish(self) -> String {
        String::from_utf8(self.into_bytes()).expect("CSV written from UTF-8 text is UTF-8")
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
            .into_inner()
            .expect("flushing CSV into memory does not fail")
    }
}

/// A CSV download sent as it is made: the byte-order mark and `header` first, then each page
/// of rows as it arrives from `pages`, so memory holds one page whatever the length. A page
/// that fails ends the body early (the client sees a cut-off download, and the log says why).
pub fn streamed<S, E>(name: &str, header: Vec<String>, pages: S) -> actix_web::HttpResponse
where
    S: futures_util::Stream<Item = Result<Vec<Vec<String>>, E>> + 'static,
    E: std::fmt::Display,
{
    use futures_util::StreamExt;
    let mut head = Table::new();
    head.row(header);
    let first = futures_util::stream::once(std::future::ready(Ok::<_, actix_web::Error>(
        actix_web::web::Bytes::from(head.into_bytes()),
    )));
    let rest = pages.map(|page| match page {
        Ok(rows) => {
            let mut t = Table::continuation();
            for r in rows {
                t.row(r);
            }
            Ok(actix_web::web::Bytes::from(t.into_bytes()))
        }
        Err(e) => {
            tracing::error!(error = %e, "CSV export stopped");
            Err(actix_web::error::ErrorInternalServerError("export failed"))
        }
    });
    actix_web::HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .streaming(first.chain(rest))
}

pub fn num(v: Option<f64>) -> String {
    v.map(|x| {
        format!("{:.4}", x)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    })
    .unwrap_or_default()
}

const ELEMENTS: [&str; 9] = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];

fn measure_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "responses",
        "ikm_converted",
        "ikm_ci_low",
        "ikm_ci_high",
        "grade",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(ELEMENTS.iter().map(|e| format!("{e}_nrr")));
    h.extend(
        [
            "wait_mean",
            "wait_median",
            "wait_p90",
            "wait_over_standard_share",
            "visits_mean",
            "visits_ge3_share",
            "fee_paid_mean",
            "fee_over_declared_share",
            "complaints",
            "complaints_per_1000",
            "resolved_within_deadline_share",
            "reopen_rate",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    h
}

fn measure_cells(m: &Measures) -> Vec<String> {
    let mut c = vec![
        m.responses.to_string(),
        num(m.ikm.as_ref().map(|i| i.converted)),
        num(m.ikm.as_ref().and_then(|i| i.converted_ci).map(|c| c[0])),
        num(m.ikm.as_ref().and_then(|i| i.converted_ci).map(|c| c[1])),
        m.ikm.as_ref().map(|i| i.grade.clone()).unwrap_or_default(),
    ];
    c.extend(
        ELEMENTS
            .iter()
            .map(|e| num(m.elements.get(*e).and_then(|x| x.mean))),
    );
    c.extend([
        num(m.wait_minutes.mean.mean),
        num(m.wait_minutes.median),
        num(m.wait_minutes.p90),
        num(m.wait_minutes.over_standard.share),
        num(m.visits.mean.mean),
        num(m.visits.share_ge3.share),
        num(m.fees.paid.mean),
        num(m.fees.over_declared.share),
        m.complaints.total.to_string(),
        num(m.complaints.per_1000_responses),
        num(m.complaints.resolved_within_deadline),
        num(m.complaints.reopen_rate),
    ]);
    c
}

/// One column per channel a response or a complaint can come in on, always all of them, so a
/// spreadsheet's formulas keep their columns from one export to the next.
fn channel_header() -> Vec<String> {
    let r = crate::service::survey::CHANNELS.map(|c| format!("responses_{c}"));
    let c = crate::domain::complaint::CHANNELS.map(|c| format!("complaints_{c}"));
    r.into_iter().chain(c).collect()
}

fn channel_cells(c: &ChannelCounts) -> Vec<String> {
    let count = |m: &std::collections::BTreeMap<String, u64>, k: &str| {
        m.get(k).copied().unwrap_or(0).to_string()
    };
    let r = crate::service::survey::CHANNELS.map(|k| count(&c.responses, k));
    let p = crate::domain::complaint::CHANNELS.map(|k| count(&c.complaints, k));
    r.into_iter().chain(p).collect()
}

pub fn series(a: &UnitAnalytics) -> String {
    let mut out = Table::new();
    let mut h = vec!["unit".to_string(), "period".to_string()];
    h.extend(measure_header());
    h.extend(channel_header());
    out.row(h);
    for p in &a.series {
        let mut row = vec![a.unit.slug.clone(), p.period.clone()];
        row.extend(measure_cells(&p.measures));
        row.extend(channel_cells(&p.channels));
        out.row(row);
    }
    out.finish()
}

pub fn overview(o: &Overview) -> String {
    let mut out = Table::new();
    let mut h: Vec<String> = [
        "rank", "unit", "name", "agency", "kind", "from", "to", "note",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(measure_header());
    out.row(h);
    for r in &o.units {
        let mut row = vec![
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            r.unit.clone(),
            r.name.clone(),
            r.agency.clone(),
            r.kind.clone(),
            o.from.to_string(),
            o.to.to_string(),
            if r.enough_data {
                String::new()
            } else {
                format!("data belum cukup (min {})", r.min_sample)
            },
        ];
        row.extend(measure_cells(&r.measures));
        out.row(row);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting() {
        let mut t = super::Table::new();
        t.row(["a,b", "say \"hi\"", "", "plain", "two\nlines", "cr\r"]);
        t.row(["x"]);
        assert_eq!(
            t.finish(),
            "\u{feff}\"a,b\",\"say \"\"hi\"\"\",,plain,\"two\nlines\",\"cr\r\"\r\nx\r\n"
        );
        let mut t = super::Table::continuation();
        t.row(["=HYPERLINK(\"http://x\")", "-3", "@a"]);
        assert_eq!(
            t.finish(),
            "\"'=HYPERLINK(\"\"http://x\"\")\",-3,'@a\r\n",
            "formulas neutralised, numbers kept, no byte-order mark on a continuation"
        );
        assert_eq!(super::num(Some(3.5)), "3.5");
        assert_eq!(super::num(Some(76.67)), "76.67");
        assert_eq!(super::num(Some(2.0)), "2");
        assert_eq!(super::num(None), "");
    }
}
