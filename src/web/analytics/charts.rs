//! Trend charts drawn as SVG on the server: no script, no CDN, readable without JavaScript.
//! Colours are the Okabe–Ito palette (safe for colour-blind readers) and every line also has
//! its own marker shape and a text label.
use serde::Serialize;

use crate::i18n::Lang;
use crate::service::analytics::UnitAnalytics;

const PALETTE: [&str; 9] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
    "#999999",
];

#[derive(Serialize)]
pub struct Chart {
    pub title: String,
    pub svg: String,
}

struct Series<'a> {
    label: &'a str,
    points: Vec<Option<f64>>,
    band: Option<Vec<Option<(f64, f64)>>>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn line_chart(
    title: &str,
    periods: &[String],
    series: &[Series],
    y_min: f64,
    y_max: f64,
    reference: Option<(f64, &str)>,
) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 260.0, 44.0, 110.0, 12.0, 36.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let n = periods.len().max(1);
    let x = |i: usize| {
        left + if n == 1 {
            pw / 2.0
        } else {
            pw * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + ph * (1.0 - ((v - y_min) / (y_max - y_min)).clamp(0.0, 1.0));
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" class=\"chart\" font-family=\"sans-serif\" font-size=\"11\">",
        esc(title)
    );
    for i in 0..=4 {
        let v = y_min + (y_max - y_min) * i as f64 / 4.0;
        s += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + pw,
            left - 4.0,
            y(v) + 4.0,
            format_tick(v),
            y0 = y(v)
        );
    }
    let step = (n / 8).max(1);
    for (i, p) in periods.iter().enumerate() {
        if i % step == 0 || i == n - 1 {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                h - 18.0,
                esc(p)
            );
        }
    }
    if let Some((v, label)) = reference {
        s += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#444\" stroke-dasharray=\"6 4\"/><text x=\"{}\" y=\"{:.1}\">{}</text>",
            left + pw,
            left + pw + 4.0,
            y(v) + 4.0,
            esc(label),
            yy = y(v)
        );
    }
    for (si, ser) in series.iter().enumerate() {
        let colour = PALETTE[si % PALETTE.len()];
        if let Some(band) = &ser.band {
            let pts: Vec<(usize, (f64, f64))> = band
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.map(|b| (i, b)))
                .collect();
            if pts.len() >= 2 {
                let mut path = String::new();
                for (i, (_, hi)) in &pts {
                    path += &format!(
                        "{}{:.1},{:.1} ",
                        if path.is_empty() { "M" } else { "L" },
                        x(*i),
                        y(*hi)
                    );
                }
                for (i, (lo, _)) in pts.iter().rev() {
                    path += &format!("L{:.1},{:.1} ", x(*i), y(*lo));
                }
                s += &format!(
                    "<path d=\"{path}Z\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\"/>"
                );
            }
        }
        let mut path = String::new();
        for (i, v) in ser.points.iter().enumerate() {
            if let Some(v) = v {
                let pen = if path.is_empty() || ser.points[i.saturating_sub(1)].is_none() {
                    "M"
                } else {
                    "L"
                };
                path += &format!("{pen}{:.1},{:.1} ", x(i), y(*v));
            }
        }
        if !path.is_empty() {
            s += &format!(
                "<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>"
            );
        }
        for (i, v) in ser.points.iter().enumerate() {
            if let Some(v) = v {
                s += &marker(si, x(i), y(*v), colour);
            }
        }
        if let Some((i, v)) = ser
            .points
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, v)| v.map(|v| (i, v)))
        {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}</text>",
                x(i) + 8.0,
                y(v) + 4.0,
                esc(ser.label)
            );
        }
    }
    s + "</svg>"
}

fn marker(i: usize, x: f64, y: f64, colour: &str) -> String {
    match i % 3 {
        0 => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{colour}\"/>"),
        1 => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{colour}\"/>",
            x - 3.5,
            y - 3.5
        ),
        _ => format!(
            "<path d=\"M{x:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z\" fill=\"{colour}\"/>",
            y - 4.5,
            x + 4.5,
            y + 3.5,
            x - 4.5,
            y + 3.5
        ),
    }
}

fn format_tick(v: f64) -> String {
    if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

pub fn unit_charts(a: &UnitAnalytics, lang: Lang) -> Vec<Chart> {
    let periods: Vec<String> = a.series.iter().map(|p| p.period.clone()).collect();
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
                "IKM konversi dengan selang kepercayaan 95%",
                "IKM (converted) with 95% CI",
            )
            .into(),
        svg: line_chart("IKM", &periods, &[ikm], 25.0, 100.0, Some((76.61, "B"))),
    }];
    let codes = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];
    let els: Vec<Series> = codes
        .iter()
        .map(|c| Series {
            label: c,
            points: a
                .series
                .iter()
                .map(|p| p.measures.elements.get(*c).and_then(|e| e.mean))
                .collect(),
            band: None,
        })
        .collect();
    charts.push(Chart {
        title: lang.pick("NRR per unsur", "NRR per element").into(),
        svg: line_chart("NRR", &periods, &els, 1.0, 4.0, None),
    });
    let std = a
        .unit
        .services
        .iter()
        .filter_map(|s| s.standard_minutes)
        .max();
    let waits = vec![
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
            0.0,
            (top * 1.1).ceil().max(10.0),
            std.map(|s| (s as f64, std_label)),
        ),
    });
    charts
}
