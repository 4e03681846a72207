//! Six demo civil servants in each demo unit, with the courses they finished this year, so the
//! 20-JP page and the SIASN file show something on first start. NIPs are made up but valid.
use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::DatabaseConnection;

use crate::store;
use crate::store::employees::NewRecord;

const NAMES: [(&str, &str, &str); 6] = [
    ("Siti Aminah", "Pengadministrasi Layanan", "teknis"),
    ("Budi Santoso", "Petugas Loket", "teknis"),
    ("Rahmawati", "Analis Pelayanan", "teknis"),
    ("Andi Saputra", "Kepala Seksi Pelayanan", "manajerial"),
    ("Dewi Lestari", "Petugas Informasi", "sosial_kultural"),
    ("Hendra Gunawan", "Operator Sistem", "teknis"),
];
/// JP each has done this year: two at 20 or more, the rest short.
const JP_DONE: [i32; 6] = [24, 16, 8, 0, 32, 20];

pub async fn seed(db: &DatabaseConnection, today: NaiveDate) -> anyhow::Result<()> {
    let units = store::units::list(db, false).await?;
    let mut records = vec![];
    for (u_index, u) in units.iter().enumerate() {
        if !store::employees::by_unit(db, u.id, true).await?.is_empty() {
            continue;
        }
        for (i, (name, position, kind)) in NAMES.iter().enumerate() {
            let born_year = 1972 + (i as i32 * 4) % 22;
            let nip = format!(
                "{born_year}{:02}{:02}{}{:02}{}{:03}",
                1 + (i + u_index) % 12,
                10 + i,
                born_year + 25,
                1 + i % 12,
                1 + i % 2,
                (100 * (u_index % 9 + 1) + i) % 1000
            );
            // Made up, but as a real one reads (the tests' fixtures are checked the same way).
            if crate::domain::nip::Nip::parse(&nip, today).is_err() {
                continue;
            }
            let m = store::employees::new_employee(u.id, &nip, name, position, kind, None);
            let saved = store::employees::insert(db, m).await?;
            let jp = JP_DONE[i];
            if jp > 0 {
                // Done this year, a month or more ago (today in the year's first month).
                let on = (today - Duration::days(30 + 7 * i as i64))
                    .max(NaiveDate::from_ymd_opt(today.year(), 1, 2).unwrap_or(today))
                    .min(today);
                records.push(NewRecord {
                    key: format!("{nip}|pelayanan prima|{on}"),
                    nip: nip.clone(),
                    employee_id: Some(saved.id),
                    course: "Pelayanan Prima dan Komunikasi Efektif".into(),
                    programme_code: None,
                    jp: Some(jp),
                    completed_on: on,
                    source: "siasn",
                });
            }
        }
    }
    store::employees::insert_records(db, &records).await?;
    Ok(())
}
