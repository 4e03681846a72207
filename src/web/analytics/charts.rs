//! Trend charts drawn as SVG on the server: no script, no CDN, readable without JavaScript.
//! Colours are distinct for colour-blind readers and each has at least 3:1 contrast on white
//! (WCAG 1.4.11); every line also has its own marker shape and a text label, labels are pushed
//! apart so they never overlap, and an unfinished last period is drawn hollow and dashed.
//! Every chart carries a `<title>` and a `<desc>` that says its figures in words, and every
//! number on it goes through [`crate::domain::format`] ("3,65" on an Indonesian page). The nine
//! elements are small multiples, one small chart each with the others in grey behind it and
//! the lowest three marked, rather than nine tangled lines; names are wrapped, never cut.
use serde::Serialize;

use crate::domain::format;

/// Okabe–Ito's blue, vermillion, green and purple, then darker stand-ins for its orange, sky
/// blue, yellow and grey (which fall below 3:1 on white). Contrast on white, in order:
/// 5.2, 3.9, 3.4, 3.1, 5.4, 7.6, 21, 5.9, 4.5.
pub(super) const PALETTE: [&str; 9] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#9E5A00", "#6A3D9A", "#000000", "#C2185B",
    "#767676",
];

/// The vertical scale: where it starts and ends and the values that get a grid line.
pub(super) struct Scale {
    min: f64,
    max: f64,
    ticks: Vec<f64>,
}

impl Scale {
    /// Ticks every `step` from `min` to `max`.
    pub(super) fn stepped(min: f64, max: f64, step: f64) -> Scale {
        let n = ((max - min) / step).round() as usize;
        Scale {
            min,
            max,
            ticks: (0..=n).map(|i| min + step * i as f64).collect(),
        }
    }

    /// From 0 to a round number above `top`, with 4–6 grid lines at 1, 2 or 5 × 10ⁿ.
    pub(super) fn from_zero(top: f64) -> Scale {
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
    /// Small multiples: one small chart per element (the chart's own `svg` is then empty).
    pub panels: Vec<Panel>,
}

/// One element's small chart.
#[derive(Serialize)]
pub struct Panel {
    pub code: String,
    /// The element's name in the page's language, whole (the caption wraps it).
    pub name: String,
    /// Among the three lowest in the last finished period.
    pub lowest: bool,
    /// The last finished period's mean as the page shows it, with the period ("3,65 (2026-11)").
    pub latest: Option<String>,
    pub svg: String,
}

pub(super) struct Series<'a> {
    pub(super) label: &'a str,
    pub(super) points: Vec<Option<f64>>,
    pub(super) band: Option<Vec<Option<(f64, f64)>>>,
}

pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Words in lines of at most `width` characters (a longer word gets a line of its own), so a
/// label is wrapped, never cut.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The opening of an accessible chart: its name as `<title>` (and `aria-label`) and what it
/// shows in words as `<desc>`.
pub(super) fn open_svg(w: f64, h: f64, title: &str, desc: &str) -> String {
    open_svg_sized(w, h, 11, title, desc)
}

pub(super) fn open_svg_sized(w: f64, h: f64, font: u32, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\" class=\"chart\" font-family=\"sans-serif\" font-size=\"{font}\"><title>{t}</title><desc>{}</desc>",
        esc(desc),
        t = esc(title)
    )
}

/// A series in words for a chart's `<desc>`: "IKM: 78,05 (2026-01) → 76,50 (2026-03); terendah
/// 76,50 (2026-03), tertinggi 78,05 (2026-01)".
pub(super) fn say_series(
    label: &str,
    periods: &[String],
    points: &[Option<f64>],
    places: usize,
    id: bool,
) -> String {
    let known: Vec<(&String, f64)> = periods
        .iter()
        .zip(points)
        .filter_map(|(p, v)| v.map(|v| (p, v)))
        .collect();
    let n = |v: f64| format::decimal(v, places, id);
    let (Some(first), Some(last)) = (known.first(), known.last()) else {
        return format!("{label}: {}", if id { "belum ada data" } else { "no data" });
    };
    let lo = known
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or(first);
    let hi = known
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or(first);
    let (low, high) = if id {
        ("terendah", "tertinggi")
    } else {
        ("lowest", "highest")
    };
    format!(
        "{label}: {} ({}) → {} ({}); {low} {} ({}), {high} {} ({})",
        n(first.1),
        first.0,
        n(last.1),
        last.0,
        n(lo.1),
        lo.0,
        n(hi.1),
        hi.0
    )
}

/// What a chart shows besides its lines.
pub(super) struct Extras<'a> {
    /// A dashed reference line with its label (a service standard).
    pub(super) reference: Option<(f64, &'a str)>,
    /// Shaded bands with a letter at the right (the SKM grade intervals).
    pub(super) bands: &'a [(f64, f64, &'a str)],
    /// The last period is unfinished.
    pub(super) partial: bool,
    /// The word for an unfinished period, shown under its axis label.
    pub(super) partial_label: &'a str,
    /// Numbers the Indonesian way ("2,5").
    pub(super) indonesian: bool,
    /// Decimals of the values said in the chart's description.
    pub(super) places: usize,
}

pub(super) fn line_chart(
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
    let desc: Vec<String> = series
        .iter()
        .map(|ser| {
            say_series(
                ser.label,
                periods,
                &ser.points,
                extras.places,
                extras.indonesian,
            )
        })
        .collect();
    let mut s = open_svg(w, h, title, &desc.join(". "));
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
            format_tick(*v, extras.indonesian),
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

pub(super) fn marker(i: usize, x: f64, y: f64, colour: &str, hollow: bool) -> String {
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

pub(super) fn format_tick(v: f64, indonesian: bool) -> String {
    if v.fract().abs() < 1e-9 {
        format::decimal(v, 0, indonesian)
    } else {
        format::decimal(v, 1, indonesian)
    }
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
    fn labels_wrap_and_are_never_cut() {
        assert_eq!(
            wrap("U8 Penanganan pengaduan, saran dan masukan", 34),
            vec!["U8 Penanganan pengaduan, saran dan", "masukan"]
        );
        assert_eq!(wrap("U1 Persyaratan", 34), vec!["U1 Persyaratan"]);
        assert_eq!(wrap("", 10), vec![""]);
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
