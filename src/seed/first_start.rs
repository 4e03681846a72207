//! First-start data: the built-in SKM survey (always) and Jambi demo agencies and units (optional).
use sea_orm::{ConnectionTrait, DbErr};

use crate::domain::registry::{ServiceInput, UnitInput};
use crate::store;

/// (slug, name, standard minutes, standard working days, fee in rupiah)
type DemoService = (&'static str, &'static str, Option<i32>, Option<i32>, i64);

struct DemoUnit {
    agency: &'static str,
    slug: &'static str,
    name: &'static str,
    kind: &'static str,
    address: &'static str,
    staff: i32,
    monthly: i32,
    services: &'static [DemoService],
}

const AGENCIES: &[(&str, &str)] = &[
    ("pemprov-jambi", "Pemerintah Provinsi Jambi"),
    ("pemkot-jambi", "Pemerintah Kota Jambi"),
    (
        "polda-jambi",
        "Kepolisian Daerah Jambi (Samsat, bersama Bapenda Provinsi Jambi)",
    ),
];

const UNITS: &[DemoUnit] = &[
    DemoUnit {
        agency: "pemprov-jambi",
        slug: "rsud-raden-mattaher",
        name: "RSUD Raden Mattaher Jambi",
        kind: "rumah_sakit",
        address: "Jl. Letjen Suprapto No. 31, Telanaipura, Kota Jambi",
        staff: 1200,
        monthly: 18000,
        services: &[
            ("rawat-jalan", "Rawat jalan (poliklinik)", Some(60), None, 0),
            ("igd", "Instalasi Gawat Darurat", Some(15), None, 0),
            ("farmasi", "Pengambilan obat (farmasi)", Some(30), None, 0),
            ("rekam-medis", "Permintaan resume medis", None, Some(3), 0),
        ],
    },
    DemoUnit {
        agency: "pemkot-jambi",
        slug: "disdukcapil-kota-jambi",
        name: "Dinas Kependudukan dan Pencatatan Sipil Kota Jambi",
        kind: "dukcapil",
        address: "Jl. Jend. Basuki Rahmat, Paal Lima, Kota Jambi",
        staff: 95,
        monthly: 6000,
        services: &[
            (
                "ktp-el",
                "Perekaman dan pencetakan KTP-el",
                Some(60),
                None,
                0,
            ),
            ("kartu-keluarga", "Kartu Keluarga", None, Some(1), 0),
            ("akta-kelahiran", "Akta Kelahiran", None, Some(1), 0),
            ("pindah-datang", "Surat pindah/datang", None, Some(1), 0),
        ],
    },
    DemoUnit {
        agency: "pemprov-jambi",
        slug: "dpmptsp-provinsi-jambi",
        name: "DPMPTSP Provinsi Jambi",
        kind: "perizinan",
        address: "Jl. R.M. Noer Atmadibrata No. 9, Telanaipura, Kota Jambi",
        staff: 60,
        monthly: 900,
        services: &[
            ("izin-usaha", "Perizinan berusaha (OSS)", None, Some(5), 0),
            ("konsultasi", "Konsultasi perizinan", Some(30), None, 0),
        ],
    },
    DemoUnit {
        agency: "pemkot-jambi",
        slug: "puskesmas-paal-x",
        name: "Puskesmas Paal X Kota Jambi",
        kind: "puskesmas",
        address: "Jl. Adityawarman, Kenali Besar, Kota Jambi",
        staff: 55,
        monthly: 2500,
        services: &[
            ("pemeriksaan-umum", "Pemeriksaan umum", Some(45), None, 0),
            ("kia", "Kesehatan ibu dan anak", Some(45), None, 0),
            ("imunisasi", "Imunisasi", Some(30), None, 0),
        ],
    },
    DemoUnit {
        agency: "polda-jambi",
        slug: "samsat-kota-jambi",
        name: "Samsat Kota Jambi",
        kind: "samsat",
        address: "Jl. Kol. Abunjani, Sipin, Kota Jambi",
        staff: 80,
        monthly: 12000,
        services: &[
            (
                "pajak-tahunan",
                "Pembayaran pajak kendaraan tahunan",
                Some(30),
                None,
                0,
            ),
            (
                "stnk-5-tahun",
                "Pengesahan STNK 5 tahunan",
                Some(90),
                None,
                0,
            ),
            ("balik-nama", "Balik nama kendaraan", None, Some(3), 0),
        ],
    },
];

/// Seeds demo agencies, units and services when the registry is empty. Returns whether it did.
pub async fn demo(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    store::surveys::ensure_skm(db).await?;
    if !store::units::agencies(db, true).await?.is_empty() {
        return Ok(false);
    }
    for (slug, name) in AGENCIES {
        store::units::create_agency(db, slug, name).await?;
    }
    for u in UNITS {
        let agency = store::units::agency_by_slug(db, u.agency)
            .await?
            .ok_or_else(|| DbErr::Custom(format!("demo agency {} missing", u.agency)))?;
        let unit = store::units::create(
            db,
            agency.id,
            &UnitInput {
                agency: None,
                slug: Some(u.slug.into()),
                name: Some(u.name.into()),
                kind: Some(u.kind.into()),
                address: Some(u.address.into()),
                staff_count: Some(u.staff),
                monthly_visitors: Some(u.monthly),
            },
        )
        .await?;
        for (slug, name, minutes, days, fee) in u.services {
            store::units::create_service(
                db,
                unit.id,
                &ServiceInput {
                    slug: Some((*slug).into()),
                    name: Some((*name).into()),
                    standard_minutes: *minutes,
                    standard_days: *days,
                    fee_rupiah: Some(*fee),
                },
            )
            .await?;
        }
    }
    Ok(true)
}
