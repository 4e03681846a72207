//! The nine elements drawn: bars of their means for the printed report (long names wrapped,
//! never cut), and one small chart per element for the analytics page.
use super::charts::{
    PALETTE, esc, format_tick, marker, open_svg, open_svg_sized, say_series, wrap,
};
use crate::domain::format;

/// The mean of each element as a horizontal bar on the 1–4 scale, for the printed report. Each
/// row is labelled with the element's code and whole name, wrapped onto more lines when long.
pub fn nrr_bars(title: &str, rows: &[(String, String, f64)], indonesian: bool) -> String {
    // Drawn at 12 px in a 560-wide box: about 7 pt when printed at two thirds of an A4 page.
    let (w, left, right, line_h) = (560.0, 230.0, 46.0, 14.0);
    let labels: Vec<Vec<String>> = rows
        .iter()
        .map(|(code, name, _)| wrap(&format!("{code} {name}"), 34))
        .collect();
    let heights: Vec<f64> = labels
        .iter()
        .map(|l| (line_h * l.len() as f64 + 8.0).max(22.0))
        .collect();
    let h = heights.iter().sum::<f64>() + 24.0;
    let pw = w - left - right;
    let x = |v: f64| left + pw * ((v - 1.0) / 3.0).clamp(0.0, 1.0);
    let desc: Vec<String> = rows
        .iter()
        .map(|(code, name, v)| format!("{code} {name}: {}", format::decimal(*v, 3, indonesian)))
        .collect();
    let mut s = open_svg_sized(w, h, 12, title, &desc.join("; "));
    for t in [1.0, 2.0, 3.0, 4.0] {
        s += &format!(
            "<line x1=\"{xx:.1}\" x2=\"{xx:.1}\" y1=\"0\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            h - 20.0,
            h - 6.0,
            format_tick(t, indonesian),
            xx = x(t)
        );
    }
    let mut top = 0.0;
    for (((_, _, v), lines), row_h) in rows.iter().zip(&labels).zip(&heights) {
        let mid = top + row_h / 2.0;
        // The label's lines centred on the bar.
        let first = mid + 4.0 - line_h * (lines.len() as f64 - 1.0) / 2.0;
        s += &format!(
            "<text x=\"{:.1}\" y=\"{first:.1}\" text-anchor=\"end\">",
            left - 6.0
        );
        for (i, l) in lines.iter().enumerate() {
            s += &format!(
                "<tspan x=\"{:.1}\" dy=\"{}\">{}</tspan>",
                left - 6.0,
                if i == 0 { 0.0 } else { line_h },
                esc(l)
            );
        }
        s += &format!(
            "</text><rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            mid - 7.0,
            (x(*v) - left).max(1.0),
            PALETTE[0],
            x(*v) + 4.0,
            mid + 4.0,
            format::decimal(*v, 3, indonesian)
        );
        top += row_h;
    }
    s + "</svg>"
}

/// One element's small chart on the 1–4 scale: its own line in colour (vermillion when it is
/// among the lowest) over the other elements in light grey, the first and last period on the
/// axis and its last value at the end of its line.
#[allow(clippy::too_many_arguments)]
pub(super) fn small_multiple(
    title: &str,
    periods: &[String],
    own: &[Option<f64>],
    others: &[&[Option<f64>]],
    lowest: bool,
    partial: bool,
    indonesian: bool,
) -> String {
    let (w, h, left, right, top, bottom) = (240.0, 120.0, 22.0, 40.0, 8.0, 22.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let n = periods.len().max(1);
    let x = |i: usize| {
        left + if n == 1 {
            pw / 2.0
        } else {
            pw * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + ph * (1.0 - ((v - 1.0) / 3.0).clamp(0.0, 1.0));
    let desc = say_series(title, periods, own, 2, indonesian);
    let mut s = open_svg(w, h, title, &desc);
    for t in [1.0, 2.0, 3.0, 4.0] {
        s += &format!(
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#e4e7eb\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#57606a\">{}</text>",
            left + pw,
            left - 4.0,
            y(t) + 4.0,
            format_tick(t, indonesian),
            yy = y(t)
        );
    }
    let path = |pts: &[Option<f64>]| {
        let mut d = String::new();
        for (i, v) in pts.iter().enumerate() {
            if let Some(v) = v {
                let pen = if d.is_empty() || i == 0 || pts[i - 1].is_none() {
                    "M"
                } else {
                    "L"
                };
                d += &format!("{pen}{:.1},{:.1} ", x(i), y(*v));
            }
        }
        d
    };
    s += "<g aria-hidden=\"true\">";
    for o in others {
        let d = path(o);
        if !d.is_empty() {
            s += &format!("<path d=\"{d}\" fill=\"none\" stroke=\"#c8ced6\" stroke-width=\"1\"/>");
        }
    }
    s += "</g>";
    let colour = if lowest { PALETTE[1] } else { PALETTE[0] };
    let solid_end = if partial { n.saturating_sub(1) } else { n };
    let d = path(&own[..solid_end.min(own.len())]);
    if !d.is_empty() {
        s += &format!("<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"/>");
    }
    if partial
        && n >= 2
        && let (Some(Some(a)), Some(Some(b))) = (own.get(n - 2), own.get(n - 1))
    {
        s += &format!(
            "<path d=\"M{:.1},{:.1} L{:.1},{:.1}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
            x(n - 2),
            y(*a),
            x(n - 1),
            y(*b)
        );
    }
    for (i, v) in own.iter().enumerate() {
        if let Some(v) = v {
            s += &marker(0, x(i), y(*v), colour, partial && i == n - 1);
        }
    }
    // The last finished period's value: at the end of the line, or above its point when an
    // unfinished period (hollow, dashed) follows it.
    if let Some((i, v)) = own[..solid_end.min(own.len())]
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, v)| v.map(|v| (i, v)))
    {
        let (lx, ly, anchor) = if i + 1 < n {
            (x(i), y(v) - 7.0, "middle")
        } else {
            (x(i) + 6.0, y(v) + 4.0, "start")
        };
        s += &format!(
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\" fill=\"{colour}\" font-weight=\"700\">{}</text>",
            format::decimal(v, 2, indonesian)
        );
    }
    // The first and the last period under the axis.
    if let Some(first) = periods.first() {
        s += &format!(
            "<text x=\"{left}\" y=\"{}\" fill=\"#57606a\">{}</text>",
            h - 6.0,
            esc(first)
        );
    }
    if n > 1
        && let Some(last) = periods.last()
    {
        s += &format!(
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"end\" fill=\"#57606a\">{}</text>",
            left + pw,
            h - 6.0,
            esc(last)
        );
    }
    s + "</svg>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_element_names_wrap_in_the_bars() {
        let rows = vec![
            ("U1".to_string(), "Persyaratan".to_string(), 3.25),
            (
                "U8".to_string(),
                "Penanganan pengaduan, saran dan masukan".to_string(),
                2.705,
            ),
        ];
        let svg = nrr_bars("Nilai rata-rata per unsur", &rows, true);
        // Every word of the long name is drawn; the value with a decimal comma.
        assert!(
            svg.contains(">U8 Penanganan pengaduan, saran dan</tspan>"),
            "{svg}"
        );
        assert!(svg.contains(">masukan</tspan>"), "{svg}");
        assert!(svg.contains(">2,705</text>") && svg.contains(">3,250</text>"));
        assert!(
            svg.contains("<title>Nilai rata-rata per unsur</title><desc>U1 Persyaratan: 3,250; U8")
        );
        let en = nrr_bars("Mean per element", &rows, false);
        assert!(en.contains(">2.705</text>"));
    }

    #[test]
    fn a_small_multiple_says_its_figures_in_words() {
        let periods: Vec<String> = ["2026-01", "2026-02", "2026-03"].map(String::from).to_vec();
        let own = [Some(3.5), Some(3.0), Some(2.5)];
        let other = [Some(3.0), Some(3.1), None];
        let svg = small_multiple(
            "U3 Waktu penyelesaian",
            &periods,
            &own,
            &[&other],
            true,
            false,
            true,
        );
        assert!(svg.contains("<title>U3 Waktu penyelesaian</title>"));
        assert!(svg.contains(
            "<desc>U3 Waktu penyelesaian: 3,50 (2026-01) → 2,50 (2026-03); terendah 2,50 (2026-03), tertinggi 3,50 (2026-01)</desc>"
        ), "{svg}");
        assert!(
            svg.contains(">2,50</text>"),
            "the last value at the line's end"
        );
        assert!(svg.contains(PALETTE[1]), "a lowest element in vermillion");
        assert_eq!(format_tick(2.5, true), "2,5");
        assert_eq!(format_tick(2.5, false), "2.5");
        assert_eq!(format_tick(60.0, true), "60");
    }
}
