//! The people of a unit (ASN): kept by the unit's supervisors and administrators, read by
//! planners too; 404 for anyone else. Each employee's JP of a year: planned (the programmes
//! scheduled for the unit that year they take part in — everyone, until a programme's list is
//! set — and their own confirmed needs) and done (their learning records), against the 20 JP
//! every civil servant is owed.
pub mod coverage;
pub mod learning;
pub mod needs;
pub mod programmes;
pub mod siasn;
pub mod sources;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};

use crate::domain::nip::Nip;
use crate::domain::validation::{Problems, short_text};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::today_wib;
use crate::store;

/// JP a year every civil servant is owed (PP 11/2017).
pub const MIN_JP: i64 = 20;
pub const KINDS: [&str; 3] = ["teknis", "manajerial", "sosial_kultural"];

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct EmployeeIn {
    /// 18 digits: birth date, appointment month, gender digit, sequence.
    pub nip: Option<String>,
    pub name: Option<String>,
    /// The position (jabatan).
    pub position: Option<String>,
    /// `teknis`, `manajerial` or `sosial_kultural`.
    pub competency_kind: Option<String>,
    pub email: Option<String>,
    /// Archive (true) or bring back (false); edits only.
    pub archived: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EmployeeOut {
    pub id: i32,
    pub unit: String,
    pub nip: String,
    pub name: String,
    pub position: String,
    pub competency_kind: String,
    pub email: Option<String>,
    pub archived: bool,
    pub year: i32,
    /// JP of the unit's programmes of the year they take part in, plus their confirmed needs.
    pub jp_planned: i64,
    /// JP of the courses completed in the year.
    pub jp_done: i64,
    /// At least 20 JP done in the year.
    pub meets_minimum: bool,
}

/// A checked employee: (nip, name, position, kind, email).
pub type Checked = (String, String, String, String, Option<String>);

/// Checks a whole employee (creating) or the fields given (editing, `partial`).
pub fn check(e: &EmployeeIn, partial: bool, today: NaiveDate) -> Result<Checked, Problems> {
    let mut p = Problems::new();
    let nip = match e.nip.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None if !partial => {
            p.insert("nip".into(), "v_required");
            String::new()
        }
        None => String::new(),
        Some(raw) => Nip::parse(raw, today)
            .map(|n| n.as_str().to_string())
            .unwrap_or_else(|k| {
                p.insert("nip".into(), k);
                String::new()
            }),
    };
    let name = short_text("name", &e.name, 120, !partial, &mut p).unwrap_or_default();
    let position = short_text("position", &e.position, 120, !partial, &mut p).unwrap_or_default();
    let kind = match e.competency_kind.as_deref().map(str::trim) {
        None | Some("") if partial => String::new(),
        None | Some("") => {
            p.insert("competency_kind".into(), "v_required");
            String::new()
        }
        Some(k) if KINDS.contains(&k) => k.to_string(),
        Some(_) => {
            p.insert("competency_kind".into(), "v_choice");
            String::new()
        }
    };
    let email = short_text("email", &e.email, 254, false, &mut p);
    if email
        .as_deref()
        .is_some_and(|m| !m.contains('@') || m.contains(' '))
    {
        p.insert("email".into(), "v_email");
    }
    if p.is_empty() {
        Ok((nip, name, position, kind, email))
    } else {
        Err(p)
    }
}

/// The unit for someone who keeps its people (its supervisors, administrators); planners 403.
pub async fn unit_kept(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
) -> Result<entity::unit::Model, ServiceError> {
    let u = crate::service::follow_ups::seen_unit(state, user, slug).await?;
    if !user.acts_on_unit(u.id) {
        return Err(ServiceError::Forbidden);
    }
    Ok(u)
}

/// The unit's programmes of `year` (accepted, scheduled or completed recommendations dated in
/// the year) as (id, JP per participant).
async fn programmes_of_year(
    state: &ServiceContext,
    unit_id: i32,
    year: i32,
) -> Result<Vec<(i32, i64)>, ServiceError> {
    let recs = store::training::recommendations::list(
        &state.read,
        &store::training::recommendations::Filter {
            unit_ids: Some(vec![unit_id]),
            ..Default::default()
        },
    )
    .await?;
    Ok(recs
        .into_iter()
        .filter(|r| {
            let dated = r.start_date.or(r.completed_on).or(r.end_date);
            matches!(r.status.as_str(), "accepted" | "scheduled" | "completed")
                && dated.is_some_and(|d| d.year() == year)
        })
        .map(|r| (r.id, i64::from(r.jp.unwrap_or(0))))
        .collect())
}

/// JP planned in `year` from the unit's programmes: (JP everyone gets from programmes whose
/// participants are the whole unit, JP each listed participant gets from the others).
async fn jp_planned(
    state: &ServiceContext,
    unit_id: i32,
    year: i32,
) -> Result<(i64, HashMap<i32, i64>), ServiceError> {
    let programmes = programmes_of_year(state, unit_id, year).await?;
    let ids: Vec<i32> = programmes.iter().map(|p| p.0).collect();
    let listed = store::participants::of_many(&state.read, &ids).await?;
    let (mut everyone, mut each) = (0, HashMap::new());
    for (id, jp) in programmes {
        let people: Vec<i32> = listed
            .iter()
            .filter(|(r, _)| *r == id)
            .map(|(_, e)| *e)
            .collect();
        if people.is_empty() {
            everyone += jp;
        }
        for e in people {
            *each.entry(e).or_default() += jp;
        }
    }
    Ok((everyone, each))
}

/// A personal link for one employee, and the e-mail that carries it.
pub struct PersonalLink<'a> {
    /// The e-mail's template and outbox kind.
    pub kind: &'static str,
    pub name: &'a str,
    pub unit: &'a str,
    pub url: &'a str,
    pub expires: chrono::DateTime<Utc>,
}

/// Writes the link's e-mail in the caller's transaction (sent after it commits) when the
/// employee has an address; whether it did. `ctx` brings the template's own fields.
pub async fn mail_link(
    state: &ServiceContext,
    txn: &impl sea_orm::ConnectionTrait,
    to: Option<&str>,
    link: &PersonalLink<'_>,
    mut ctx: tera::Context,
) -> Result<bool, ServiceError> {
    let Some(to) = to else {
        return Ok(false);
    };
    ctx.insert("name", link.name);
    ctx.insert("unit", link.unit);
    ctx.insert("url", link.url);
    let until = crate::domain::calendar::wib_date(link.expires);
    ctx.insert("until", &crate::domain::format::long_date(until, true));
    let (s, t, h) = state
        .outbox
        .compose(link.kind, Lang::Id, &mut ctx)
        .map_err(|e| ServiceError::Internal(e.into()))?;
    store::outbox::enqueue(txn, link.kind, to, &s, &t, &h).await?;
    Ok(true)
}

fn year_range(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    )
}

async fn outs(
    state: &ServiceContext,
    unit: &entity::unit::Model,
    people: Vec<entity::employee::Model>,
    year: i32,
) -> Result<Vec<EmployeeOut>, ServiceError> {
    let (planned, mut own) = jp_planned(state, unit.id, year).await?;
    // Each person's own confirmed needs of the year's round add to what their unit plans.
    for (e, jp) in store::needs::confirmed_jp(&state.read, unit.id, year).await? {
        *own.entry(e).or_default() += i64::from(jp);
    }
    let ids: Vec<i32> = people.iter().map(|e| e.id).collect();
    let (from, to) = year_range(year);
    let done: HashMap<i32, i64> = store::employees::jp_done(&state.read, &ids, from, to).await?;
    Ok(people
        .into_iter()
        .map(|e| {
            let jp_done = done.get(&e.id).copied().unwrap_or(0);
            EmployeeOut {
                id: e.id,
                unit: unit.slug.clone(),
                nip: e.nip,
                name: e.name,
                position: e.position,
                competency_kind: e.competency_kind,
                email: e.email,
                archived: e.archived_at.is_some(),
                year,
                jp_planned: planned + own.get(&e.id).copied().unwrap_or(0),
                jp_done,
                meets_minimum: jp_done >= MIN_JP,
            }
        })
        .collect())
}

/// The unit's employees with their JP of `year` (default this year).
pub async fn list(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    year: Option<i32>,
) -> Result<Vec<EmployeeOut>, ServiceError> {
    let unit = crate::service::follow_ups::seen_unit(state, user, slug).await?;
    let year = year.unwrap_or_else(|| today_wib().year());
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::invalid("year", "v_range"));
    }
    let people = store::employees::by_unit(&state.read, unit.id, false).await?;
    outs(state, &unit, people, year).await
}

/// Adds one employee (a NIP belongs to one person: a second is refused).
pub async fn create(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    e: &EmployeeIn,
) -> Result<EmployeeOut, ServiceError> {
    let unit = unit_kept(state, user, slug).await?;
    let (nip, name, position, kind, email) =
        check(e, false, today_wib()).map_err(ServiceError::Problems)?;
    let saved = insert_checked(state, unit.id, (nip, name, position, kind, email)).await?;
    let mut out = outs(state, &unit, vec![saved], today_wib().year()).await?;
    out.pop().ok_or(ServiceError::NotFound)
}

async fn insert_checked(
    state: &ServiceContext,
    unit_id: i32,
    (nip, name, position, kind, email): Checked,
) -> Result<entity::employee::Model, ServiceError> {
    if store::employees::by_nip(&state.db, &nip).await?.is_some() {
        return Err(ServiceError::invalid("nip", "v_nip_taken"));
    }
    let txn = store::begin_write(&state.db).await?;
    let m = store::employees::new_employee(unit_id, &nip, &name, &position, &kind, email);
    let saved = match store::employees::insert(&txn, m).await {
        Ok(s) => s,
        Err(e) if store::is_unique_violation(&e) => {
            txn.rollback().await?;
            return Err(ServiceError::invalid("nip", "v_nip_taken"));
        }
        Err(e) => return Err(e.into()),
    };
    // Courses already reported for this NIP now count for them.
    store::employees::claim_records(&txn, &nip, saved.id).await?;
    txn.commit().await?;
    Ok(saved)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EmployeesImported {
    pub created: u64,
    pub rejected: u64,
    /// Each refused row (0 is the first after the header) with its fields' problems.
    pub problems: Vec<crate::service::queue::Rejected>,
}

/// Many employees from CSV (`nip,name,position,competency_kind,email`): the good rows kept.
pub async fn import(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    body: &[u8],
    lang: Lang,
) -> Result<EmployeesImported, ServiceError> {
    let unit = unit_kept(state, user, slug).await?;
    let mut r = ::csv::ReaderBuilder::new()
        .flexible(true)
        .trim(::csv::Trim::All)
        .delimiter(
            if body
                .split(|b| *b == b'\n')
                .next()
                .unwrap_or_default()
                .contains(&b';')
            {
                b';'
            } else {
                b','
            },
        )
        .from_reader(body);
    let header = r
        .headers()
        .map_err(|_| ServiceError::invalid("file", "v_employee_header"))?
        .clone();
    let col = |n: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(n))
    };
    let Some(nip_col) = col("nip") else {
        return Err(ServiceError::invalid("file", "v_employee_header"));
    };
    let cols = [
        col("name"),
        col("position"),
        col("competency_kind"),
        col("email"),
    ];
    let (mut created, mut rejected, mut problems) = (0, 0, vec![]);
    let today = today_wib();
    for (index, rec) in r.records().enumerate().take(10_000) {
        let mut reject = |p: Problems| {
            rejected += 1;
            if problems.len() < 1000 {
                problems.push(crate::service::queue::Rejected::new(index, p, lang));
            }
        };
        let Ok(rec) = rec else {
            reject([("row".to_string(), "v_type")].into());
            continue;
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::to_string);
        let e = EmployeeIn {
            nip: get(Some(nip_col)),
            name: get(cols[0]),
            position: get(cols[1]),
            competency_kind: get(cols[2]),
            email: get(cols[3]),
            archived: None,
        };
        match check(&e, false, today) {
            Err(p) => reject(p),
            Ok(c) => match insert_checked(state, unit.id, c).await {
                Ok(_) => created += 1,
                Err(ServiceError::Problems(p)) => reject(p),
                Err(e) => return Err(e),
            },
        }
    }
    Ok(EmployeesImported {
        created,
        rejected,
        problems,
    })
}

/// Edits an employee (the fields given), or archives them; their unit's keepers only.
pub async fn update(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
    e: &EmployeeIn,
) -> Result<EmployeeOut, ServiceError> {
    let found = match id.parse::<i32>() {
        Ok(id) => store::employees::by_id(&state.db, id).await?,
        Err(_) => None,
    };
    let Some(current) = found else {
        return Err(ServiceError::NotFound);
    };
    let unit = store::units::by_id(&state.db, current.unit_id)
        .await?
        .filter(|u| user.sees_unit(u.id))
        .ok_or(ServiceError::NotFound)?;
    if !user.acts_on_unit(unit.id) {
        return Err(ServiceError::Forbidden);
    }
    if e.nip.as_deref().is_some_and(|n| !n.trim().is_empty()) {
        // The NIP is who the person is: a wrong one is a new record, not an edit.
        return Err(ServiceError::invalid("nip", "v_nip_fixed"));
    }
    let (_, name, position, kind, email) =
        check(e, true, today_wib()).map_err(ServiceError::Problems)?;
    let mut m: entity::employee::ActiveModel = current.into();
    if !name.is_empty() {
        m.name = Set(name);
    }
    if !position.is_empty() {
        m.position = Set(position);
    }
    if !kind.is_empty() {
        m.competency_kind = Set(kind);
    }
    if e.email.is_some() {
        m.email = Set(email);
    }
    if let Some(a) = e.archived {
        m.archived_at = Set(a.then(Utc::now));
    }
    m.updated_at = Set(Utc::now());
    let saved = store::employees::update(&state.db, m).await?;
    let mut out = outs(state, &unit, vec![saved], today_wib().year()).await?;
    out.pop().ok_or(ServiceError::NotFound)
}
