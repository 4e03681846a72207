//! A unit's charts on its analytics page: the IKM with its interval and the grade bands, the
//! nine elements as small multiples with the three lowest marked, and the wait (reported median
//! and p90, the queue's measured median) against the service standard.
use super::charts::{Chart, Extras, Panel, Scale, Series, line_chart};
use super::element_charts::small_multiple;
use crate::domain::format;
use crate::i18n::Lang;
use crate::service::analytics::UnitAnalytics;

/// The codes of the (up to) three elements lowest in the last period, as shown at two decimals;
/// none when they all read the same.
fn lowest_three(latest: &[(&str, Option<f64>)]) -> Vec<String> {
    let mut known: Vec<(&str, f64)> = latest
        .iter()
        .filter_map(|(c, v)| v.map(|v| (*c, format::shown(v, 2))))
        .collect();
    let Some(top) = known.iter().map(|k| k.1).reduce(f64::max) else {
        return vec![];
    };
    known.retain(|k| k.1 < top);
    known.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
    known.into_iter().take(3).map(|k| k.0.to_string()).collect()
}

pub fn unit_charts(a: &UnitAnalytics, lang: Lang) -> Vec<Chart> {
    let periods: Vec<String> = a.series.iter().map(|p| p.period.clone()).collect();
    let partial = a.series.last().is_some_and(|p| p.partial);
    let partial_label = lang.pick("berjalan", "in progress");
    let indonesian = lang == Lang::Id;
    let plain = Extras {
        reference: None,
        bands: &[],
        partial,
        partial_label,
        indonesian,
        places: 2,
    };
    let ikm = Series {
        label: "IKM",
        points: a
            .series
            .iter()
            .map(|p| p.measures.ikm.as_ref().map(|i| i.converted))
            .collect(),
        band: Some(
            a.series
                .iter()
                .map(|p| {
                    p.measures
                        .ikm
                        .as_ref()
                        .and_then(|i| i.converted_ci)
                        .map(|c| (c[0], c[1]))
                })
                .collect(),
        ),
    };
    let mut charts = vec![Chart {
        title: lang
            .pick(
                "IKM konversi dengan interval kepercayaan 95% (IK 95%)",
                "IKM (converted) with its 95% confidence interval (95% CI)",
            )
            .into(),
        panels: vec![],
        svg: {
            // The grade intervals of PermenPANRB 14/2017 as bands; the scale starts at 60
            // unless a value (or its interval) falls below it.
            let lowest = ikm
                .points
                .iter()
                .flatten()
                .copied()
                .chain(ikm.band.iter().flatten().flatten().map(|b| b.0))
                .fold(100.0, f64::min);
            let scale = if lowest >= 60.0 {
                Scale::stepped(60.0, 100.0, 10.0)
            } else {
                Scale::stepped(25.0, 100.0, 15.0)
            };
            let bands = [
                (25.0, 65.0, "D"),
                (65.0, 76.61, "C"),
                (76.61, 88.31, "B"),
                (88.31, 100.0, "A"),
            ];
            line_chart(
                "IKM",
                &periods,
                &[ikm],
                &scale,
                &Extras {
                    bands: &bands,
                    ..plain
                },
            )
        },
    }];
    // The nine elements as small multiples: each its own small chart with the others in grey
    // behind it, the three lowest in the last period marked.
    let codes = crate::domain::skm::ELEMENT_CODES;
    let lines: Vec<Vec<Option<f64>>> = codes
        .iter()
        .map(|c| {
            a.series
                .iter()
                .map(|p| p.measures.elements.get(*c).and_then(|e| e.mean))
                .collect()
        })
        .collect();
    // "The last period" is the last finished one: an unfinished month's few answers would
    // single out an element by chance.
    let finished = if partial && lines.first().is_some_and(|l| l.len() >= 2) {
        periods.len() - 1
    } else {
        periods.len()
    };
    let last_finished: Vec<Option<(usize, f64)>> = lines
        .iter()
        .map(|l| {
            l[..finished.min(l.len())]
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, v)| v.map(|v| (i, v)))
        })
        .collect();
    let latest: Vec<(&str, Option<f64>)> = codes
        .iter()
        .zip(&last_finished)
        .map(|(c, l)| (*c, l.map(|x| x.1)))
        .collect();
    let lowest = lowest_three(&latest);
    let panels = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let name = crate::web::render::element_label(c, indonesian, false);
            let others: Vec<&[Option<f64>]> = lines
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| l.as_slice())
                .collect();
            let low = lowest.iter().any(|l| l == c);
            Panel {
                code: c.to_string(),
                svg: small_multiple(
                    &format!("{c} {name}"),
                    &periods,
                    &lines[i],
                    &others,
                    low,
                    partial,
                    indonesian,
                ),
                name,
                lowest: low,
                latest: last_finished[i].map(|(at, v)| {
                    format!("{} ({})", format::decimal(v, 2, indonesian), periods[at])
                }),
            }
        })
        .collect();
    charts.push(Chart {
        title: lang
            .pick(
                "NRR per unsur (skala 1–4); tiga unsur terendah pada periode terakhir yang selesai ditandai",
                "NRR per element (scale 1–4); the three lowest in the last finished period are marked",
            )
            .into(),
        svg: String::new(),
        panels,
    });
    let std = a
        .unit
        .services
        .iter()
        .filter_map(|s| s.standard_minutes)
        .max();
    let mut waits = vec![
        Series {
            label: "median",
            points: a
                .series
                .iter()
                .map(|p| p.measures.wait_minutes.median)
                .collect(),
            band: None,
        },
        Series {
            label: "p90",
            points: a
                .series
                .iter()
                .map(|p| p.measures.wait_minutes.p90)
                .collect(),
            band: None,
        },
    ];
    // What the queue machine measured, beside what respondents remembered.
    if a.series.iter().any(|p| p.measured_wait.is_some()) {
        waits.push(Series {
            label: lang.pick("terukur", "measured"),
            points: a
                .series
                .iter()
                .map(|p| {
                    p.measured_wait
                        .as_ref()
                        .and_then(|m| m.wait_p50)
                        .map(f64::from)
                })
                .collect(),
            band: None,
        });
    }
    let top = waits
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .fold(std.unwrap_or(60) as f64, |m, v| m.max(*v));
    let std_label = lang.pick("standar", "standard");
    charts.push(Chart {
        title: lang.pick("Waktu tunggu (menit)", "Wait (minutes)").into(),
        svg: line_chart(
            "wait",
            &periods,
            &waits,
            &Scale::from_zero(top * 1.05),
            &Extras {
                reference: std.map(|s| (s as f64, std_label)),
                places: 0,
                ..plain
            },
        ),
        panels: vec![],
    });
    charts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_three_as_shown_are_marked() {
        let latest = [
            ("U1", Some(3.5)),
            ("U2", Some(3.1)),
            ("U3", Some(2.9)),
            ("U4", None),
            ("U5", Some(3.004)),
            ("U6", Some(3.2)),
        ];
        assert_eq!(lowest_three(&latest), vec!["U3", "U5", "U2"]);
        // All the same as shown: nothing to single out.
        assert!(lowest_three(&[("U1", Some(3.001)), ("U2", Some(3.0))]).is_empty());
        assert!(lowest_three(&[]).is_empty());
    }
}
