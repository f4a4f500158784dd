//! The commands that show the project without serving it: `apps list`,
//! `apps graph`, `routes`, `settings` and `openapi`.

use std::sync::Arc;

use fastapp_config::{out, outln};

use super::json::print_json;
use super::loaded::Loaded;
use crate::graph::AppGraph;
use crate::registry::AppKind;
use crate::{db, loader, Error};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(super) enum GraphFormat {
    /// A Mermaid flowchart.
    Mermaid,
    /// Graphviz DOT.
    Dot,
    /// A picture: each app with its kind, prefix and route count (drawn
    /// in-process; the server shows it at `<docs_path>/apps`).
    Svg,
}

/// `apps list`: each app's name, kind and prefix (with `-v`, its
/// dependencies, migrations, crate and source too).
pub(super) fn apps(loaded: &Loaded, verbose: bool, json: bool) {
    if json {
        let apps: Vec<_> = loaded
            .resolved
            .apps
            .iter()
            .map(|app| {
                serde_json::json!({
                    "name": app.entry.name,
                    "kind": match app.entry.kind {
                        AppKind::Internal => "internal",
                        AppKind::External => "external",
                    },
                    "prefix": app.prefix,
                    "depends_on": app.entry.depends_on,
                    "migrations": app.entry.migrations.len(),
                    "crate": app.entry.crate_name,
                    "source": app.entry.location.to_string(),
                })
            })
            .collect();
        return print_json(&apps);
    }
    for app in &loaded.resolved.apps {
        let kind = match app.entry.kind {
            AppKind::Internal => "internal",
            AppKind::External => "external",
        };
        let prefix = if app.prefix.is_empty() { "/" } else { &app.prefix };
        if verbose {
            let deps = if app.entry.depends_on.is_empty() {
                "-".to_string()
            } else {
                app.entry.depends_on.join(",")
            };
            outln!(
                "{}\t{kind}\t{prefix}\tdepends_on={deps}\tmigrations={}\tcrate={}\tsource={}",
                app.entry.name,
                app.entry.migrations.len(),
                app.entry.crate_name,
                app.entry.location
            );
        } else {
            outln!("{}\t{kind}\t{prefix}", app.entry.name);
        }
    }
}

/// `apps graph`: the app graph as Mermaid, DOT, SVG or JSON.
pub(super) fn graph(loaded: &Loaded, format: GraphFormat, json: bool) -> Result<(), Error> {
    let mut graph = AppGraph::resolved(&loaded.resolved.apps);
    if json {
        print_json(&graph.json());
        return Ok(());
    }
    let drawn = match format {
        GraphFormat::Mermaid => graph.mermaid(),
        GraphFormat::Dot => graph.dot(),
        GraphFormat::Svg => {
            // The route counts are the mounted routers'.
            let mounted = mount(loaded)?;
            graph.count_routes(&loaded.resolved.apps, mounted.routes());
            graph.svg()
        }
    };
    out!("{drawn}");
    Ok(())
}

/// `routes`: every route with its method and app.
pub(super) fn routes(loaded: &Loaded, json: bool) -> Result<(), Error> {
    let mounted = mount(loaded)?;
    // A partial list would be a wrong one.
    if !mounted.unread_routes().is_empty() {
        return Err(Error::many(
            mounted.unread_routes().iter().cloned().map(Error::from).collect(),
        ));
    }
    if json {
        let routes: Vec<_> = mounted
            .routes()
            .iter()
            .map(|(app, route)| serde_json::json!({ "method": route.method, "path": route.path, "app": app }))
            .collect();
        print_json(&routes);
    } else {
        for (app, route) in mounted.routes() {
            outln!("{}\t{}\t{app}", route.method, route.path);
        }
    }
    Ok(())
}

/// `settings`: the effective settings, secrets redacted.
pub(super) fn settings(loaded: &Loaded, json: bool) {
    if json {
        return print_json(&toml_to_json(toml::Value::Table(
            loaded.settings.redacted_table(),
        )));
    }
    for (key, value) in loaded.settings.redacted() {
        outln!("{key} = {value}");
    }
}

/// `openapi`: the merged document, printed whether or not it is served
/// (so its conflicts count here).
pub(super) fn openapi(loaded: &Loaded) -> Result<(), Error> {
    let mounted = mount(loaded)?;
    if !mounted.openapi_conflicts.is_empty() {
        return Err(Error::many(
            mounted.openapi_conflicts.into_iter().map(Error::from).collect(),
        ));
    }
    outln!(
        "{}",
        mounted
            .openapi
            .to_pretty_json()
            .expect("an OpenAPI document serialises")
    );
    Ok(())
}

/// Every app mounted, with a pool that connects only on demand (for the
/// commands that list what is mounted without serving it).
fn mount(loaded: &Loaded) -> Result<loader::Mounted, Error> {
    let pool = db::pool(&loaded.settings.database_url);
    loader::mount(
        loaded.project,
        &loaded.resolved.apps,
        Arc::new(loaded.settings.clone()),
        pool,
    )
}

/// A TOML value as JSON (dates and times as their TOML text).
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => f.into(),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(items) => items.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(table) => table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_json_keeps_types_and_prints_dates_as_text() {
        let table: toml::Table =
            toml::from_str("n = 1\nf = 0.5\nb = true\nd = 2024-01-02\n[t]\na = [\"x\"]").unwrap();
        let json = super::toml_to_json(toml::Value::Table(table));
        assert_eq!(
            json,
            serde_json::json!({ "n": 1, "f": 0.5, "b": true, "d": "2024-01-02", "t": { "a": ["x"] } })
        );
    }
}
