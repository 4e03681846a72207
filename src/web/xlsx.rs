//! Spreadsheets for people (`?format=xlsx`): typed cells — text stays text (a cell that looks
//! like a formula is stored as text, never as a formula), numbers are numbers, WIB times and
//! dates are real date cells — a bold header row that stays in view, and a filter on it. The
//! worksheet is written in rust_xlsxwriter's constant-memory mode (each finished row goes to a
//! temporary file), so a million rows keep memory flat; the workbook is then assembled in a
//! blocking thread and sent from an unlinked temporary file, a chunk at a time.
use std::io::{Read, Seek};

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use chrono::{NaiveDate, NaiveDateTime};
use futures_util::{Stream, StreamExt};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::service::error::ServiceError;
use crate::web::error::ApiError;

/// One cell, by what it holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// A wall-clock time in WIB.
    DateTime(NaiveDateTime),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// A number written as text by a CSV row (`.` as the decimal point), else text as it is.
    pub fn from_csv(s: &str) -> Cell {
        if s.is_empty() {
            return Cell::Empty;
        }
        match s.parse::<f64>() {
            Ok(n) if n.is_finite() && !s.starts_with('+') => Cell::Number(n),
            _ => Cell::Text(s.to_string()),
        }
    }
}

/// Excel's last row: a sheet holds the header and 1,048,575 data rows.
const MAX_ROWS: u32 = 1_048_576;

fn xlsx_error(e: XlsxError) -> ServiceError {
    ServiceError::Internal(anyhow::anyhow!("xlsx: {e}"))
}

struct Formats {
    head: Format,
    date: Format,
    datetime: Format,
}

fn write_row(ws: &mut Worksheet, row: u32, cells: &[Cell], f: &Formats) -> Result<(), XlsxError> {
    for (col, c) in cells.iter().enumerate() {
        let col = col as u16;
        match c {
            Cell::Text(s) => {
                ws.write_string(row, col, s)?;
            }
            Cell::Number(n) => {
                ws.write_number(row, col, *n)?;
            }
            Cell::Date(d) => {
                ws.write_datetime_with_format(row, col, d, &f.date)?;
            }
            Cell::DateTime(t) => {
                ws.write_datetime_with_format(row, col, t, &f.datetime)?;
            }
            Cell::Empty => {}
        }
    }
    Ok(())
}

/// The workbook of one sheet named `sheet`: `header`, then every page of rows from `pages`,
/// answered as the download `name`.xlsx. A page that fails fails the request (nothing was sent
/// yet, so the client gets the error, not a cut-off file).
pub async fn download<S>(
    name: &str,
    sheet: &str,
    header: Vec<String>,
    widths: &[f64],
    pages: S,
) -> Result<HttpResponse, ApiError>
where
    S: Stream<Item = Result<Vec<Vec<Cell>>, ServiceError>>,
{
    let formats = Formats {
        head: Format::new().set_bold().set_text_wrap(),
        date: Format::new().set_num_format("dd/mm/yyyy"),
        datetime: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
    };
    let mut wb = Workbook::new();
    let ws = wb
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_error)?;
    ws.set_name(sheet).map_err(xlsx_error)?;
    // Column settings come before any cell in constant-memory mode.
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w).map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let head: Vec<Cell> = header.iter().map(|h| Cell::text(h.clone())).collect();
    for (col, h) in head.iter().enumerate() {
        if let Cell::Text(s) = h {
            ws.write_string_with_format(0, col as u16, s, &formats.head)
                .map_err(xlsx_error)?;
        }
    }
    let mut row = 1u32;
    let mut pages = std::pin::pin!(pages);
    while let Some(page) = pages.next().await {
        for cells in page? {
            if row >= MAX_ROWS {
                return Err(ApiError::BadRequest(
                    "more rows than a spreadsheet holds: choose a shorter period".into(),
                ));
            }
            write_row(ws, row, &cells, &formats).map_err(xlsx_error)?;
            row += 1;
        }
    }
    if !header.is_empty() {
        ws.autofilter(0, 0, row.saturating_sub(1), header.len() as u16 - 1)
            .map_err(xlsx_error)?;
    }
    // Assembling the zip is CPU work: off the async workers.
    let file = actix_web::web::block(move || -> Result<std::fs::File, ServiceError> {
        let mut f = tempfile_unlinked()?;
        wb.save_to_writer(&mut f).map_err(xlsx_error)?;
        f.rewind().map_err(|e| ServiceError::Internal(e.into()))?;
        Ok(f)
    })
    .await
    .map_err(|e| ServiceError::Internal(anyhow::anyhow!("{e}")))??;
    let chunks = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = actix_web::web::block(move || {
            let mut buf = vec![0u8; 64 * 1024];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((file, buf))
        })
        .await;
        match read {
            Ok(Ok((_, buf))) if buf.is_empty() => None,
            Ok(Ok((file, buf))) => Some((Ok(Bytes::from(buf)), Some(file))),
            Ok(Err(e)) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
            Err(e) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.xlsx\""),
        ))
        .streaming(chunks))
}

/// A temporary file already unlinked: it goes away when closed, whatever happens.
fn tempfile_unlinked() -> Result<std::fs::File, ServiceError> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| ServiceError::Internal(anyhow::anyhow!("{e}")))?;
    let path = std::env::temp_dir().join(format!(
        "suara-export-{}.xlsx",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ));
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| ServiceError::Internal(e.into()))?;
    let _ = std::fs::remove_file(&path);
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::Cell;

    #[test]
    fn csv_cells_become_numbers_only_when_they_are_numbers() {
        assert_eq!(Cell::from_csv("3.25"), Cell::Number(3.25));
        assert_eq!(Cell::from_csv("-2"), Cell::Number(-2.0));
        assert_eq!(Cell::from_csv(""), Cell::Empty);
        assert_eq!(Cell::from_csv("+62812"), Cell::Text("+62812".into()));
        assert_eq!(Cell::from_csv("=1+1"), Cell::Text("=1+1".into()));
        assert_eq!(Cell::from_csv("NaN"), Cell::Text("NaN".into()));
    }
}
