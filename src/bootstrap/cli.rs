//! The command line: `suara [serve]`, `migrate`, `user create`, `token create`, `seed-demo`.
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::bootstrap::configuration::Settings;
use crate::bootstrap::startup::{Application, prepare_database};
use crate::bootstrap::{db, telemetry};
use crate::security::random_token;
use crate::seed::first_start as seed;
use crate::store;
use crate::web::auth::Role;

const HELP: &str = "\
suara: citizen feedback on public services (Jambi)

USAGE:
    suara [COMMAND] [OPTIONS]

COMMANDS:
    serve                      Run the web server (default)
    migrate                    Apply database migrations and exit
    user create                Create a staff account
        --email EMAIL              login e-mail (required)
        --role ROLE                admin | supervisor | planner (required)
        --name NAME                display name (default: the e-mail)
        --unit SLUG                unit a supervisor manages (repeatable)
        --password-stdin           read the password from standard input
                                   (otherwise a random one is generated and printed once)
    token create               Print a new personal API token for a user
        --email EMAIL              the user (required)
        --name NAME                what the token is for (default: cli)
    seed-demo                  Add the Jambi demo agencies and units if the registry is empty
    seed-synthetic             Add synthetic units, responses and complaints (benchmarks, demos)
        --units N                  units to add (default 300)
        --responses M              survey responses (default 100000)
        --complaints K             complaints (default 2000)
        --years Y                  spread over the last Y years (default 3)
        --seed S                   random seed (default 1)
    rollup rebuild             Recompute the rollup tables from the stored responses
    backup --to FILE           Copy the database while the server runs (SQLite: VACUUM INTO;
                               PostgreSQL: pg_dump when on the PATH); never overwrites FILE
    help                       Show this text

Configuration comes from the environment (SUARA_*, DATABASE_URL); see README.md.
";

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") || args.first().is_some_and(|a| a == "help")
    {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("suara: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log_filter);
    let result = actix_web::rt::System::new().block_on(run(settings, args));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("suara: {e:#}");
            ExitCode::from(1)
        }
    }
}

struct Opts {
    rest: Vec<String>,
}

impl Opts {
    fn value(&self, name: &str) -> Option<String> {
        self.values(name).into_iter().next()
    }
    fn values(&self, name: &str) -> Vec<String> {
        let mut out = vec![];
        let mut it = self.rest.iter();
        while let Some(a) = it.next() {
            if a == name {
                if let Some(v) = it.next() {
                    out.push(v.clone());
                }
            } else if let Some(v) = a.strip_prefix(&format!("{name}=")) {
                out.push(v.to_string());
            }
        }
        out
    }
    fn flag(&self, name: &str) -> bool {
        self.rest.iter().any(|a| a == name)
    }
}

/// The command (one or two words) and its options.
fn split_command(args: &[String]) -> (String, Vec<String>) {
    match args {
        [] => ("serve".to_string(), vec![]),
        [a, b, rest @ ..]
            if ((a == "user" || a == "token") && b == "create")
                || (a == "rollup" && b == "rebuild") =>
        {
            (format!("{a} {b}"), rest.to_vec())
        }
        [a, rest @ ..] => (a.clone(), rest.to_vec()),
    }
}

async fn run(settings: Settings, args: Vec<String>) -> anyhow::Result<()> {
    let (cmd, rest) = split_command(&args);
    let opts = Opts { rest };
    match cmd.as_str() {
        "serve" => serve(settings).await,
        "migrate" => {
            let conn = db::connect(&settings.database_url, 1).await?;
            db::migrate(&conn).await?;
            println!("migrations applied");
            Ok(())
        }
        "seed-demo" => {
            let conn = prepare_database(&Settings {
                seed_demo: false,
                ..settings
            })
            .await?;
            if seed::demo(&conn).await? {
                println!("demo agencies and units added");
            } else {
                println!("the registry is not empty; nothing added");
            }
            Ok(())
        }
        "user create" => user_create(settings, opts).await,
        "seed-synthetic" => {
            let num = |name: &str, default: u64| -> anyhow::Result<u64> {
                match opts.value(name) {
                    None => Ok(default),
                    Some(v) => v
                        .replace('_', "")
                        .parse()
                        .with_context(|| format!("{name} {v:?}: expected a whole number")),
                }
            };
            let o = crate::seed::synthetic::Options {
                units: num("--units", 300)? as usize,
                responses: num("--responses", 100_000)?,
                complaints: num("--complaints", 2_000)?,
                years: num("--years", 3)?.clamp(1, 20) as u32,
                seed: num("--seed", 1)?,
            };
            let conn = prepare_database(&Settings {
                seed_demo: false,
                ..settings
            })
            .await?;
            crate::seed::synthetic::run(&conn, &o).await
        }
        "rollup rebuild" => {
            let conn = prepare_database(&Settings {
                seed_demo: false,
                ..settings
            })
            .await?;
            let t = std::time::Instant::now();
            let n = store::responses::rebuild_rollups(&conn, |n| {
                if n.is_multiple_of(50_000) {
                    eprint!("\rrebuilding rollups: {n} responses read");
                }
            })
            .await?;
            eprintln!(
                "\rrebuilt rollups from {n} responses in {:.1} s",
                t.elapsed().as_secs_f64()
            );
            Ok(())
        }
        "token create" => token_create(settings, opts).await,
        "backup" => backup(settings, opts).await,
        other => bail!("unknown command {other:?}; see `suara help`"),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let base = settings.base_url.clone();
    let app = Application::build(settings.clone()).await?;
    let state = app.state();
    if store::users::count(&state.db).await? == 0 {
        let password = random_token(9);
        store::users::create(
            &state.db,
            "admin@suara.local",
            "Administrator",
            &password,
            "admin",
            &[],
        )
        .await?;
        tracing::warn!(
            "created the first administrator: log in at {base}/login as admin@suara.local with password {password} \
             (shown once; create your own with `suara user create`)"
        );
    }
    tracing::info!("Suara listening on {base} (port {})", app.port());
    app.run_until_stopped()
        .await
        .context("server stopped with an error")
}

async fn backup(settings: Settings, opts: Opts) -> anyhow::Result<()> {
    let to = std::path::PathBuf::from(opts.value("--to").context("--to FILE is required")?);
    // No migrations and no seeding: a backup changes nothing, and a missing SQLite file is an
    // error rather than a new empty database.
    if let Some(path) = db::sqlite_path(&settings.database_url)
        && !std::path::Path::new(&path).is_file()
    {
        bail!("there is no database at {path}");
    }
    let conn = db::connect(&settings.database_url, 1)
        .await
        .with_context(|| {
            format!(
                "cannot open the database at {}",
                crate::bootstrap::startup::redact(&settings.database_url)
            )
        })?;
    let report = crate::bootstrap::backup::backup(&conn, &settings.database_url, &to).await?;
    print!("{report}");
    Ok(())
}

async fn user_create(settings: Settings, opts: Opts) -> anyhow::Result<()> {
    let email = opts
        .value("--email")
        .context("--email is required")?
        .trim()
        .to_lowercase();
    if !validator::ValidateEmail::validate_email(&email) {
        bail!("--email {email:?} is not an e-mail address");
    }
    let role_s = opts
        .value("--role")
        .context("--role is required (admin, supervisor or planner)")?;
    let role = Role::parse(&role_s)
        .with_context(|| format!("--role {role_s:?}: expected admin, supervisor or planner"))?;
    let units = opts.values("--unit");
    if role == Role::Supervisor && units.is_empty() {
        bail!("a supervisor needs at least one --unit SLUG");
    }
    let password = if opts.flag("--password-stdin") {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let p = line.trim_end_matches(['\n', '\r']).to_string();
        if p.chars().count() < 10 {
            bail!("the password must be at least 10 characters");
        }
        p
    } else {
        random_token(9)
    };
    let conn = prepare_database(&Settings {
        seed_demo: false,
        ..settings
    })
    .await?;
    if store::users::find_by_email(&conn, &email).await?.is_some() {
        bail!("a user with e-mail {email} already exists");
    }
    let mut unit_ids = vec![];
    for slug in &units {
        let u = store::units::by_slug(&conn, slug)
            .await?
            .with_context(|| format!("no unit with slug {slug:?}"))?;
        unit_ids.push(u.id);
    }
    let name = opts.value("--name").unwrap_or_else(|| email.clone());
    store::users::create(&conn, &email, &name, &password, role.as_str(), &unit_ids).await?;
    println!("created {} {email}", role.as_str());
    if !opts.flag("--password-stdin") {
        println!("password (shown once): {password}");
    } else if std::io::stdout().is_terminal() {
        println!("password set from standard input");
    }
    Ok(())
}

async fn token_create(settings: Settings, opts: Opts) -> anyhow::Result<()> {
    let email = opts.value("--email").context("--email is required")?;
    let conn = prepare_database(&Settings {
        seed_demo: false,
        ..settings
    })
    .await?;
    let user = store::users::find_by_email(&conn, &email)
        .await?
        .with_context(|| format!("no user with e-mail {email}"))?;
    let token = store::users::create_token(
        &conn,
        user.id,
        &opts.value("--name").unwrap_or_else(|| "cli".into()),
    )
    .await?;
    println!("{token}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::split_command;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn two_word_commands_are_recognised() {
        assert_eq!(split_command(&[]).0, "serve");
        assert_eq!(split_command(&words("rollup rebuild")).0, "rollup rebuild");
        let (c, rest) = split_command(&words("user create --email a@b.id --role admin"));
        assert_eq!((c.as_str(), rest.len()), ("user create", 4));
        assert_eq!(
            split_command(&words("token create --email a@b.id")).0,
            "token create"
        );
        assert_eq!(
            split_command(&words("seed-synthetic --units 3")).0,
            "seed-synthetic"
        );
    }
}
