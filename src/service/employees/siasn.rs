//! The year's completed courses of a unit's people as SIASN's course records want them (BKN's
//! field names; agencies key their files by NIP), for CSV and a workbook.
use chrono::Datelike;

use super::{list, year_range};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

pub const HEADER: [&str; 8] = [
    "nip",
    "namaKursus",
    "jumlahJam",
    "jenisKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "institusiPenyelenggara",
    "tahunKursus",
];

/// One row per completed course with its JP, in `HEADER`'s order.
pub async fn rows(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    year: i32,
) -> Result<Vec<[String; 8]>, ServiceError> {
    let people = list(state, user, slug, Some(year)).await?;
    let nip_of: std::collections::HashMap<i32, String> =
        people.iter().map(|p| (p.id, p.nip.clone())).collect();
    let ids: Vec<i32> = people.iter().map(|p| p.id).collect();
    let (from, to) = year_range(year);
    let records = store::employees::records(&state.read, &ids, from, to).await?;
    Ok(records
        .into_iter()
        .filter_map(|r| {
            let jp = r.jp?;
            let nip = nip_of.get(&r.employee_id?)?.clone();
            let on = r.completed_on.to_string();
            Some([
                nip,
                r.course,
                jp.to_string(),
                "Kursus".into(),
                on.clone(),
                on,
                match r.source.as_str() {
                    "siasn" => "",
                    "moodle" => "Moodle",
                    _ => "e-learning (xAPI)",
                }
                .into(),
                r.completed_on.year().to_string(),
            ])
        })
        .collect())
}
