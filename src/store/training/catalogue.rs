//! Competencies, training programmes and recommendation rules: data, seeded with defaults that
//! follow domain.md's signal → training table and the LAN competency types.
use chrono::Utc;
use entity::{competency, training_programme as programme, training_rule as rule};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TryIntoModel,
};
use serde::{Deserialize, Serialize};

use crate::domain::training::RuleDef;

/// (code, name, kind)
const COMPETENCIES: &[(&str, &str, &str)] = &[
    (
        "pelayanan-prima",
        "Pelayanan prima dan komunikasi efektif",
        "sosial_kultural",
    ),
    (
        "integritas",
        "Integritas, antikorupsi dan antipungli",
        "sosial_kultural",
    ),
    (
        "manajemen-antrian",
        "Manajemen antrian dan waktu layanan",
        "manajerial",
    ),
    (
        "penyederhanaan-proses",
        "Penyederhanaan SOP dan proses bisnis",
        "manajerial",
    ),
    (
        "pengelolaan-pengaduan",
        "Pengelolaan pengaduan",
        "manajerial",
    ),
    (
        "pengelolaan-sarana",
        "Pengelolaan sarana dan prasarana pelayanan",
        "manajerial",
    ),
    (
        "teknis-sektoral",
        "Kompetensi teknis sektoral (kesehatan, adminduk, perizinan, pendapatan)",
        "teknis",
    ),
    (
        "literasi-digital",
        "Literasi digital dan e-government",
        "teknis",
    ),
    ("informasi-publik", "Pelayanan informasi publik", "teknis"),
];

/// (code, name, competencies, form, method, JP, provider)
type ProgrammeSeed = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    i32,
    &'static str,
);

const PROGRAMMES: &[ProgrammeSeed] = &[
    (
        "pelayanan-prima",
        "Pelatihan Pelayanan Prima dan Komunikasi Efektif",
        &["pelayanan-prima"],
        "klasikal",
        "workshop",
        16,
        "BPSDM Provinsi Jambi",
    ),
    (
        "coaching-berakhlak",
        "Coaching perilaku Berorientasi Pelayanan (BerAKHLAK)",
        &["pelayanan-prima"],
        "nonklasikal",
        "coaching",
        8,
        "Atasan langsung dan mentor unit",
    ),
    (
        "manajemen-antrian",
        "Manajemen Antrian dan Waktu Layanan",
        &["manajemen-antrian"],
        "klasikal",
        "workshop",
        16,
        "BPSDM Provinsi Jambi",
    ),
    (
        "penyederhanaan-sop",
        "Penyederhanaan SOP dan Proses Bisnis",
        &["penyederhanaan-proses"],
        "klasikal",
        "bimtek",
        24,
        "Bagian Organisasi Setda Provinsi Jambi",
    ),
    (
        "bimtek-teknis",
        "Bimtek Teknis Sektoral",
        &["teknis-sektoral"],
        "klasikal",
        "bimtek",
        24,
        "Dinas teknis / kementerian terkait",
    ),
    (
        "magang-teknis",
        "Magang di unit layanan rujukan",
        &["teknis-sektoral"],
        "nonklasikal",
        "magang",
        40,
        "Unit layanan rujukan",
    ),
    (
        "antipungli",
        "Integritas dan Antipungli",
        &["integritas"],
        "klasikal",
        "pelatihan",
        8,
        "Inspektorat Provinsi Jambi",
    ),
    (
        "pengelolaan-pengaduan",
        "Pengelolaan Pengaduan Pelayanan Publik (SP4N-LAPOR!)",
        &["pengelolaan-pengaduan"],
        "klasikal",
        "bimtek",
        8,
        "Diskominfo Provinsi Jambi",
    ),
    (
        "literasi-digital",
        "Literasi Digital dan E-Government",
        &["literasi-digital"],
        "nonklasikal",
        "e-learning",
        12,
        "LAN (ASN Unggul)",
    ),
    (
        "sarana-pelayanan",
        "Pengelolaan Sarana dan Prasarana Pelayanan",
        &["pengelolaan-sarana"],
        "klasikal",
        "workshop",
        8,
        "BPSDM Provinsi Jambi",
    ),
    (
        "informasi-publik",
        "Pelayanan Informasi Publik (PPID)",
        &["informasi-publik"],
        "nonklasikal",
        "e-learning",
        8,
        "Komisi Informasi Provinsi Jambi",
    ),
];

/// (code, name, definition JSON)
const RULES: &[(&str, &str, &str)] = &[
    (
        "waktu-layanan",
        "Waktu penyelesaian lambat dan antrian panjang",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "element_below", "code": "U3", "threshold": 3.0},
            {"signal": "decline", "code": "U3", "min_drop": 0.3},
            {"signal": "wait_over_standard", "threshold": 0.5},
            {"signal": "complaint_rate", "categories": ["waktu_tunggu"], "per": "responses", "threshold": 20, "min_count": 5}
        ], "programmes": ["manajemen-antrian"]}"#,
    ),
    (
        "perilaku-petugas",
        "Perilaku pelaksana kurang sopan dan ramah",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "element_below", "code": "U7", "threshold": 3.0},
            {"signal": "complaint_rate", "categories": ["perilaku_petugas"], "per": "responses", "threshold": 10, "min_count": 5}
        ], "programmes": ["pelayanan-prima", "coaching-berakhlak"]}"#,
    ),
    (
        "prosedur-persyaratan",
        "Persyaratan dan prosedur sulit, warga harus datang berkali-kali",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "element_below", "code": "U2", "threshold": 3.0},
            {"signal": "element_below", "code": "U1", "threshold": 3.0},
            {"signal": "visits_ge3", "threshold": 0.2},
            {"signal": "complaint_rate", "categories": ["prosedur"], "per": "responses", "threshold": 10, "min_count": 5}
        ], "programmes": ["penyederhanaan-sop"]}"#,
    ),
    (
        "kompetensi-pelaksana",
        "Kompetensi pelaksana kurang",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "element_below", "code": "U6", "threshold": 3.0},
            {"signal": "complaint_rate", "categories": ["kompetensi_petugas"], "per": "responses", "threshold": 10, "min_count": 5}
        ], "programmes": ["bimtek-teknis", "magang-teknis"]}"#,
    ),
    (
        "biaya-pungli",
        "Biaya tidak sesuai atau pungutan liar",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "element_below", "code": "U4", "threshold": 3.0},
            {"signal": "complaint_rate", "categories": ["biaya_pungli", "korupsi"], "per": "month", "threshold": 1.0, "min_count": 3}
        ], "programmes": ["antipungli"]}"#,
    ),
    (
        "penanganan-pengaduan",
        "Penanganan pengaduan lambat",
        r#"{"window_days": 90, "min_n": 10, "conditions": [
            {"signal": "resolution_late", "threshold": 0.3}
        ], "programmes": ["pengelolaan-pengaduan"]}"#,
    ),
    (
        "pengaduan-u8",
        "Sarana pengaduan dinilai tidak berfungsi",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "element_below", "code": "U8", "threshold": 3.0}
        ], "programmes": ["pengelolaan-pengaduan"]}"#,
    ),
    (
        "sistem-aplikasi",
        "Gangguan sistem dan aplikasi layanan",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "complaint_rate", "categories": ["sistem_aplikasi"], "per": "month", "threshold": 2.0, "min_count": 5}
        ], "programmes": ["literasi-digital"]}"#,
    ),
    (
        "sarana-prasarana",
        "Sarana dan prasarana kurang",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "element_below", "code": "U9", "threshold": 3.0}
        ], "programmes": ["sarana-pelayanan"]}"#,
    ),
    (
        "informasi-layanan",
        "Informasi layanan tidak jelas",
        r#"{"window_days": 90, "min_n": 30, "conditions": [
            {"signal": "complaint_rate", "categories": ["informasi"], "per": "responses", "threshold": 10, "min_count": 5}
        ], "programmes": ["informasi-publik"]}"#,
    ),
];

/// Seeds each catalogue that is still empty.
pub async fn ensure_defaults(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let now = Utc::now();
    if competency::Entity::find().count(db).await? == 0 {
        for (code, name, kind) in COMPETENCIES {
            competency::ActiveModel {
                code: Set(code.to_string()),
                name: Set(name.to_string()),
                kind: Set(kind.to_string()),
                description: Set(None),
                archived: Set(false),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if programme::Entity::find().count(db).await? == 0 {
        for (code, name, comps, form, method, jp, provider) in PROGRAMMES {
            programme::ActiveModel {
                code: Set(code.to_string()),
                name: Set(name.to_string()),
                competencies: Set(serde_json::to_string(comps).unwrap_or_else(|_| "[]".into())),
                form: Set(form.to_string()),
                method: Set(method.to_string()),
                jp: Set(*jp),
                provider: Set(Some(provider.to_string())),
                description: Set(None),
                archived: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if rule::Entity::find().count(db).await? == 0 {
        for (code, name, def) in RULES {
            let parsed: RuleDef = serde_json::from_str(def)
                .map_err(|e| DbErr::Custom(format!("default rule {code}: {e}")))?;
            rule::ActiveModel {
                code: Set(code.to_string()),
                name: Set(name.to_string()),
                definition: Set(serde_json::to_string(&parsed).unwrap_or_default()),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompetencyView {
    pub code: String,
    pub name: String,
    /// `teknis`, `manajerial` or `sosial_kultural`.
    pub kind: String,
    pub description: Option<String>,
    /// Default `false`.
    #[serde(default)]
    pub archived: bool,
}

impl From<&competency::Model> for CompetencyView {
    fn from(m: &competency::Model) -> Self {
        CompetencyView {
            code: m.code.clone(),
            name: m.name.clone(),
            kind: m.kind.clone(),
            description: m.description.clone(),
            archived: m.archived,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgrammeView {
    pub code: String,
    pub name: String,
    pub competencies: Vec<String>,
    /// `klasikal` or `nonklasikal`.
    pub form: String,
    pub method: String,
    /// JP per participant.
    pub jp: i32,
    pub provider: Option<String>,
    pub description: Option<String>,
    /// Default `false`.
    #[serde(default)]
    pub archived: bool,
}

impl From<&programme::Model> for ProgrammeView {
    fn from(m: &programme::Model) -> Self {
        ProgrammeView {
            code: m.code.clone(),
            name: m.name.clone(),
            competencies: serde_json::from_str(&m.competencies).unwrap_or_default(),
            form: m.form.clone(),
            method: m.method.clone(),
            jp: m.jp,
            provider: m.provider.clone(),
            description: m.description.clone(),
            archived: m.archived,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub code: String,
    pub name: String,
    pub active: bool,
    pub definition: RuleDef,
}

pub fn rule_view(m: &rule::Model) -> Result<RuleView, DbErr> {
    Ok(RuleView {
        code: m.code.clone(),
        name: m.name.clone(),
        active: m.active,
        definition: parse_rule(m)?,
    })
}

pub fn parse_rule(m: &rule::Model) -> Result<RuleDef, DbErr> {
    serde_json::from_str(&m.definition)
        .map_err(|e| DbErr::Custom(format!("rule {} is not valid JSON: {e}", m.code)))
}

pub async fn competencies(db: &impl ConnectionTrait) -> Result<Vec<competency::Model>, DbErr> {
    competency::Entity::find()
        .order_by_asc(competency::Column::Kind)
        .order_by_asc(competency::Column::Name)
        .all(db)
        .await
}

pub async fn competency_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<competency::Model>, DbErr> {
    competency::Entity::find()
        .filter(competency::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn save_competency(
    db: &impl ConnectionTrait,
    existing: Option<competency::Model>,
    v: &CompetencyView,
) -> Result<competency::Model, DbErr> {
    let mut m = match existing {
        Some(e) => e.into_active_model(),
        None => competency::ActiveModel {
            code: Set(v.code.clone()),
            ..Default::default()
        },
    };
    m.name = Set(v.name.clone());
    m.kind = Set(v.kind.clone());
    m.description = Set(v.description.clone());
    m.archived = Set(v.archived);
    m.save(db).await?.try_into_model()
}

pub async fn programmes(db: &impl ConnectionTrait) -> Result<Vec<programme::Model>, DbErr> {
    programme::Entity::find()
        .order_by_asc(programme::Column::Name)
        .all(db)
        .await
}

pub async fn programme_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<programme::Model>, DbErr> {
    programme::Entity::find()
        .filter(programme::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn save_programme(
    db: &impl ConnectionTrait,
    existing: Option<programme::Model>,
    v: &ProgrammeView,
) -> Result<programme::Model, DbErr> {
    let now = Utc::now();
    let mut m = match existing {
        Some(e) => e.into_active_model(),
        None => programme::ActiveModel {
            code: Set(v.code.clone()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.name = Set(v.name.clone());
    m.competencies = Set(serde_json::to_string(&v.competencies).unwrap_or_else(|_| "[]".into()));
    m.form = Set(v.form.clone());
    m.method = Set(v.method.clone());
    m.jp = Set(v.jp);
    m.provider = Set(v.provider.clone());
    m.description = Set(v.description.clone());
    m.archived = Set(v.archived);
    m.updated_at = Set(now);
    m.save(db).await?.try_into_model()
}

pub async fn rules(db: &impl ConnectionTrait) -> Result<Vec<rule::Model>, DbErr> {
    rule::Entity::find()
        .order_by_asc(rule::Column::Code)
        .all(db)
        .await
}

pub async fn rule_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<rule::Model>, DbErr> {
    rule::Entity::find()
        .filter(rule::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn save_rule(
    db: &impl ConnectionTrait,
    existing: Option<rule::Model>,
    code: &str,
    name: &str,
    active: bool,
    def: &RuleDef,
) -> Result<rule::Model, DbErr> {
    let now = Utc::now();
    let mut m = match existing {
        Some(e) => e.into_active_model(),
        None => rule::ActiveModel {
            code: Set(code.to_string()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.name = Set(name.to_string());
    m.active = Set(active);
    m.definition = Set(serde_json::to_string(def).map_err(|e| DbErr::Custom(e.to_string()))?);
    m.updated_at = Set(now);
    m.save(db).await?.try_into_model()
}
