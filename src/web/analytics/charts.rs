//! Trend charts drawn as SVG on the server: no script, no CDN, readable without JavaScript.
//! Colours are distinct for colour-blind readers and each has at least 3:1 contrast on white
//! (WCAG 1.4.11); every line also has its own marker shape and a text label, labels are pushed
//! apart so they never overlap, and an unfinished last period is drawn hollow and dashed.
use serde::Serialize;

use crate::i18n::Lang;
use crate::service::analytics::UnitAnalytics;

/// Okabe–Ito's blue, vermillion, green and purple, then darker stand-ins for its orange, sky
/// blue, yellow and grey (which fall below 3:1 on white). Contrast on white, in order:
/// 5.2, 3.9, 3.4, 3.1, 5.4, 7.6, 21, 5.9, 4.5.
const PALETTE: [&str; 9] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#9E5A00", "#6A3D9A", "#000000", "#C2185B",
    "#767676",
];

/// The vertical scale: where it starts and ends and the values that get a grid line.
struct Scale {
    min: f64,
    max: f64,
    ticks: Vec<f64>,
}

impl Scale {
    /// Ticks every `step` from `min` to `max`.
    fn stepped(min: f64, max: f64, step: f64) -> Scale {
        let n = ((max - min) / step).round() as usize;
        Scale {
            min,
            max,
            ticks: (0..=n).map(|i| min + step * i as f64).collect(),
        }
    }

    /// From 0 to a round number above `top`, with 4–6 grid lines at 1, 2 or 5 × 10ⁿ.
    fn from_zero(top: f64) -> Scale {
        let raw = (top.max(1.0)) / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let max = (top / step).ceil().max(1.0) * step;
        Scale::stepped(0.0, max, step)
    }
}

/// Label heights apart (in px) so that end-of-line labels never overlap: each keeps its order
/// and moves the least it must.
fn spread(mut ys: Vec<(usize, f64)>, gap: f64, lo: f64, hi: f64) -> Vec<(usize, f64)> {
    ys.sort_by(|a, b| a.1.total_cmp(&b.1));
    for i in 1..ys.len() {
        if ys[i].1 - ys[i - 1].1 < gap {
            ys[i].1 = ys[i - 1].1 + gap;
        }
    }
    // Pushed past the bottom: shift the whole stack up, then keep it below the top.
    if let Some(last) = ys.last().map(|l| l.1)
        && last > hi
    {
        let over = last - hi;
        for y in ys.iter_mut() {
            y.1 = (y.1 - over).max(lo);
        }
    }
    ys
}

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

/// What a chart shows besides its lines.
struct Extras<'a> {
    /// A dashed reference line with its label (a service standard).
    reference: Option<(f64, &'a str)>,
    /// Shaded bands with a letter at the right (the SKM grade intervals).
    bands: &'a [(f64, f64, &'a str)],
    /// The last period is unfinished.
    partial: bool,
    /// The word for an unfinished period, shown under its axis label.
    partial_label: &'a str,
}

fn line_chart(
    title: &str,
    periods: &[String],
    series: &[Series],
    scale: &Scale,
    extras: &Extras,
) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 260.0, 44.0, 110.0, 12.0, 44.0);
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
    let (y_min, y_max) = (scale.min, scale.max);
    let y = |v: f64| top + ph * (1.0 - ((v - y_min) / (y_max - y_min)).clamp(0.0, 1.0));
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" class=\"chart\" font-family=\"sans-serif\" font-size=\"11\">",
        esc(title)
    );
    for (lo, hi, letter) in extras.bands {
        let (a, b) = (lo.max(y_min), hi.min(y_max));
        if a >= b {
            continue;
        }
        s += &format!(
            "<rect x=\"{left}\" y=\"{:.1}\" width=\"{pw}\" height=\"{:.1}\" fill=\"#0b5cad\" fill-opacity=\"0.05\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#57606a\">{}</text>",
            y(b),
            y(a) - y(b),
            left + pw + 60.0,
            (y(a) + y(b)) / 2.0 + 4.0,
            esc(letter)
        );
    }
    for v in &scale.ticks {
        s += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + pw,
            left - 4.0,
            y(*v) + 4.0,
            format_tick(*v),
            y0 = y(*v)
        );
    }
    // At most about eight axis labels (each ~50 px wide), the last always shown and the one
    // before it dropped when they would touch.
    let step = n.div_ceil(8).max(1);
    for (i, p) in periods.iter().enumerate() {
        let last = i == n - 1;
        let shown = last || (i % step == 0 && n - 1 - i > step.max(2) / 2) || n <= 2;
        if shown {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                h - 26.0,
                esc(p)
            );
        }
        if last && extras.partial {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#57606a\">({})</text>",
                x(i),
                h - 12.0,
                esc(extras.partial_label)
            );
        }
    }
    let mut labels: Vec<(usize, f64)> = vec![];
    if let Some((v, _)) = extras.reference {
        s += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#444\" stroke-dasharray=\"6 4\"/>",
            left + pw,
            yy = y(v)
        );
        labels.push((usize::MAX, y(v) + 4.0));
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
        // The finished periods as a solid line; the step into an unfinished one dashed.
        let solid_end = if extras.partial {
            n.saturating_sub(1)
        } else {
            n
        };
        let mut path = String::new();
        for (i, v) in ser.points.iter().enumerate().take(solid_end) {
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
        if extras.partial
            && n >= 2
            && let (Some(Some(a)), Some(Some(b))) = (ser.points.get(n - 2), ser.points.get(n - 1))
        {
            s += &format!(
                "<path d=\"M{:.1},{:.1} L{:.1},{:.1}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                x(n - 2),
                y(*a),
                x(n - 1),
                y(*b)
            );
        }
        for (i, v) in ser.points.iter().enumerate() {
            if let Some(v) = v {
                let hollow = extras.partial && i == n - 1;
                s += &marker(si, x(i), y(*v), colour, hollow);
            }
        }
        if let Some((_, v)) = ser
            .points
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, v)| v.map(|v| (i, v)))
        {
            labels.push((si, y(v) + 4.0));
        }
    }
    for (si, ly) in spread(labels, 12.0, top + 4.0, top + ph + 4.0) {
        if si == usize::MAX {
            let label = extras.reference.map(|r| r.1).unwrap_or_default();
            s += &format!(
                "<text x=\"{:.1}\" y=\"{ly:.1}\" fill=\"#444\">{}</text>",
                left + pw + 4.0,
                esc(label)
            );
        } else {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{ly:.1}\" fill=\"{}\">{}</text>",
                left + pw + 8.0,
                PALETTE[si % PALETTE.len()],
                esc(series[si].label)
            );
        }
    }
    s + "</svg>"
}

fn marker(i: usize, x: f64, y: f64, colour: &str, hollow: bool) -> String {
    // An unfinished period's point: outlined, not filled.
    let paint = if hollow {
        format!("fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"1.5\"")
    } else {
        format!("fill=\"{colour}\"")
    };
    match i % 3 {
        0 => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" {paint}/>"),
        1 => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" {paint}/>",
            x - 3.5,
            y - 3.5
        ),
        _ => format!(
            "<path d=\"M{x:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z\" {paint}/>",
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

/// The mean of each element as a horizontal bar on the 1–4 scale, for the printed report.
pub fn nrr_bars(title: &str, rows: &[(String, String, f64)], indonesian: bool) -> String {
    let (w, row_h, left, right) = (640.0, 22.0, 230.0, 50.0);
    let h = row_h * rows.len() as f64 + 24.0;
    let pw = w - left - right;
    let x = |v: f64| left + pw * ((v - 1.0) / 3.0).clamp(0.0, 1.0);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" class=\"chart\" font-family=\"sans-serif\" font-size=\"11\">",
        esc(title)
    );
    for t in [1.0, 2.0, 3.0, 4.0] {
        s += &format!(
            "<line x1=\"{xx:.1}\" x2=\"{xx:.1}\" y1=\"0\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{t}</text>",
            h - 20.0,
            h - 6.0,
            xx = x(t)
        );
    }
    for (i, (code, name, v)) in rows.iter().enumerate() {
        let y = i as f64 * row_h;
        let short: String = name.chars().take(34).collect();
        s += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} {}</text><rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left - 6.0,
            y + 15.0,
            esc(code),
            esc(&short),
            y + 4.0,
            (x(*v) - left).max(1.0),
            row_h - 8.0,
            PALETTE[0],
            x(*v) + 4.0,
            y + 15.0,
            crate::domain::format::decimal(*v, 3, indonesian)
        );
    }
    s + "</svg>"
}

pub fn unit_charts(a: &UnitAnalytics, lang: Lang) -> Vec<Chart> {
    let periods: Vec<String> = a.series.iter().map(|p| p.period.clone()).collect();
    let partial = a.series.last().is_some_and(|p| p.partial);
    let partial_label = lang.pick("berjalan", "in progress");
    let plain = Extras {
        reference: None,
        bands: &[],
        partial,
        partial_label,
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
                "IKM konversi dengan selang kepercayaan 95%",
                "IKM (converted) with 95% CI",
            )
            .into(),
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
        svg: line_chart(
            "NRR",
            &periods,
            &els,
            &Scale::stepped(1.0, 4.0, 0.5),
            &plain,
        ),
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
            &Scale::from_zero(top * 1.05),
            &Extras {
                reference: std.map(|s| (s as f64, std_label)),
                ..plain
            },
        ),
    });
    charts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_step_by_round_numbers() {
        assert_eq!(
            Scale::from_zero(95.0).ticks,
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            Scale::from_zero(33.0).ticks,
            vec![0.0, 10.0, 20.0, 30.0, 40.0]
        );
        assert_eq!(Scale::from_zero(7.0).ticks.last(), Some(&8.0));
        assert_eq!(
            Scale::stepped(1.0, 4.0, 0.5).ticks,
            vec![1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
        );
    }

    #[test]
    fn end_labels_are_pushed_apart_in_order() {
        // Nine element means within a hair of each other: 12 px apart, order kept, inside.
        let ys: Vec<(usize, f64)> = (0..9).map(|i| (i, 100.0 + i as f64 * 0.5)).collect();
        let out = spread(ys, 12.0, 16.0, 220.0);
        for w in out.windows(2) {
            assert!(w[1].1 - w[0].1 >= 12.0 - 1e-9, "{out:?}");
            assert!(w[0].0 < w[1].0);
        }
        // Crowded at the bottom: moved up, still apart, never below the plot.
        let low: Vec<(usize, f64)> = (0..5).map(|i| (i, 218.0)).collect();
        let out = spread(low, 12.0, 16.0, 220.0);
        assert!(out.iter().all(|(_, y)| *y <= 220.0 + 1e-9), "{out:?}");
        assert!(out.windows(2).all(|w| w[1].1 - w[0].1 >= 12.0 - 1e-9));
    }

    #[test]
    fn every_colour_has_three_to_one_contrast_on_white() {
        let lum = |hex: &str| {
            let c = |i: usize| {
                let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
        };
        for p in PALETTE {
            let ratio = 1.05 / (lum(p) + 0.05);
            assert!(ratio >= 3.0, "{p}: {ratio:.2}");
        }
    }
}
