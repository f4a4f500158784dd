//! The app dependency graph, from the references `#[internal_app]` found in
//! each app's source at compile time, beside the dependencies each app
//! declares (`[app.<name>] uses`): cycle detection and rendering (Mermaid,
//! DOT, and SVG laid out in-process by `layout-rs`, no Graphviz needed),
//! and the page showing it beside the docs (`<docs_path>/apps`).

use std::collections::BTreeMap;

use crate::registry::{AppEntry, AppKind};

/// Apps and "uses" edges between them.
#[derive(Debug, Clone, Default)]
pub struct AppGraph {
    /// App name → kind label, in insertion order by name.
    apps: Vec<(String, String)>,
    /// Edges `from → to`, sorted: what the code uses.
    edges: BTreeMap<String, Vec<String>>,
    /// `uses` of the apps that declare it.
    declared: BTreeMap<String, Vec<String>>,
    /// Where each app is mounted and how many routes it answers, when known.
    mounted: BTreeMap<String, (String, usize)>,
}

/// What an edge of the graph is, given what its app declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeStatus {
    /// Used and declared in `uses`.
    Declared,
    /// Used, but the app declares no `uses`, or a `uses` without it.
    Undeclared,
    /// Declared in `uses`, but the code does not use it.
    Unused,
}

impl EdgeStatus {
    /// `declared`, `undeclared` or `unused`.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeStatus::Declared => "declared",
            EdgeStatus::Undeclared => "undeclared",
            EdgeStatus::Unused => "unused",
        }
    }
}

impl AppGraph {
    /// The graph of `apps` (registry entries, e.g. the resolved apps'):
    /// each app a node, each recorded dependency an edge.
    pub fn of<'a>(apps: impl IntoIterator<Item = &'a AppEntry>) -> AppGraph {
        let apps: Vec<&AppEntry> = apps.into_iter().collect();
        let mut graph = AppGraph::default();
        for app in &apps {
            let kind = match app.kind {
                AppKind::Internal => "internal",
                AppKind::External => "external",
            };
            graph.add_app(app.name, kind);
        }
        for app in &apps {
            for dep in app.depends_on {
                graph.add_edge(app.name, dep);
            }
        }
        graph
    }

    /// Records what `app` declares in `[app.<app>] uses`.
    pub fn declare(&mut self, app: &str, uses: &[String]) {
        let mut uses = uses.to_vec();
        uses.sort();
        uses.dedup();
        self.declared.insert(app.to_string(), uses);
    }

    /// The graph of the resolved apps: [`of`](Self::of) their entries, with
    /// what each declares in `[app.<name>] uses`.
    pub fn resolved(apps: &[crate::loader::ResolvedApp]) -> AppGraph {
        let mut graph = AppGraph::of(apps.iter().map(|app| app.entry));
        for app in apps {
            if let Some(uses) = &app.uses {
                graph.declare(app.entry.name, uses);
            }
        }
        graph
    }

    /// Records where `app` is mounted (`""` = the root) and how many routes
    /// it answers: shown in the DOT and SVG labels.
    pub fn mounted(&mut self, app: &str, prefix: &str, routes: usize) {
        self.mounted.insert(app.to_string(), (prefix.to_string(), routes));
    }

    /// [`mounted`](Self::mounted) for each of `apps`, counting its `routes`
    /// (each with its app, as [`Mounted::routes`](crate::loader::Mounted::routes)
    /// lists them).
    pub(crate) fn count_routes(
        &mut self,
        apps: &[crate::loader::ResolvedApp],
        routes: &[(String, crate::routes::Route)],
    ) {
        for app in apps {
            let count = routes.iter().filter(|(owner, _)| owner == app.entry.name).count();
            self.mounted(app.entry.name, &app.prefix, count);
        }
    }

    /// Every edge, used or declared, with its status, sorted.
    pub fn edges(&self) -> Vec<(&str, &str, EdgeStatus)> {
        let mut out = Vec::new();
        for (from, targets) in &self.edges {
            let declared = self.declared.get(from);
            for to in targets {
                let status = match declared {
                    Some(uses) if uses.contains(to) => EdgeStatus::Declared,
                    _ => EdgeStatus::Undeclared,
                };
                out.push((from.as_str(), to.as_str(), status));
            }
        }
        for (from, uses) in &self.declared {
            let used = self.edges.get(from);
            for to in uses {
                if !used.is_some_and(|u| u.contains(to)) {
                    out.push((from.as_str(), to.as_str(), EdgeStatus::Unused));
                }
            }
        }
        out.sort();
        out
    }

    /// The graph as JSON (`apps graph --json`): `{"apps": [{"name", "kind",
    /// "uses"}], "edges": [{"from", "to", "status"}]}`, `uses` being `null`
    /// for an app that declares none and `status` one of [`EdgeStatus`].
    pub fn json(&self) -> serde_json::Value {
        let apps: Vec<_> = self
            .apps
            .iter()
            .map(|(name, kind)| serde_json::json!({ "name": name, "kind": kind, "uses": self.declared.get(name) }))
            .collect();
        let edges: Vec<_> = self
            .edges()
            .into_iter()
            .map(
                |(from, to, status)| serde_json::json!({ "from": from, "to": to, "status": status.as_str() }),
            )
            .collect();
        serde_json::json!({ "apps": apps, "edges": edges })
    }

    /// Adds a node (once per name) with its kind label (`internal`, `external`).
    pub fn add_app(&mut self, name: &str, kind: &str) {
        if !self.apps.iter().any(|(n, _)| n == name) {
            self.apps.push((name.to_string(), kind.to_string()));
        }
    }

    /// Adds an edge: `from` uses `to` (once per pair).
    pub fn add_edge(&mut self, from: &str, to: &str) {
        let targets = self.edges.entry(from.to_string()).or_default();
        if !targets.iter().any(|t| t == to) {
            targets.push(to.to_string());
            targets.sort();
        }
    }

    /// Cycles found by depth-first search — one per back edge, so every
    /// group of apps that depend on each other shows at least one — each as
    /// the apps along it with the first repeated at the end (`[a, b, a]`).
    pub fn cycles(&self) -> Vec<Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        fn visit(
            graph: &AppGraph,
            node: &str,
            marks: &mut BTreeMap<String, Mark>,
            stack: &mut Vec<String>,
            cycles: &mut Vec<Vec<String>>,
        ) {
            marks.insert(node.to_string(), Mark::Active);
            stack.push(node.to_string());
            for next in graph.edges.get(node).into_iter().flatten() {
                match marks.get(next).copied().unwrap_or(Mark::New) {
                    Mark::New => visit(graph, next, marks, stack, cycles),
                    Mark::Active => {
                        let start = stack.iter().position(|n| n == next).unwrap_or(0);
                        let mut cycle = stack[start..].to_vec();
                        cycle.push(next.clone());
                        cycles.push(cycle);
                    }
                    Mark::Done => {}
                }
            }
            stack.pop();
            marks.insert(node.to_string(), Mark::Done);
        }
        let mut nodes: Vec<&String> = self.edges.keys().collect();
        nodes.sort();
        let mut marks = BTreeMap::new();
        let mut cycles = Vec::new();
        for node in nodes {
            if marks.get(node).copied().unwrap_or(Mark::New) == Mark::New {
                visit(self, node, &mut marks, &mut Vec::new(), &mut cycles);
            }
        }
        cycles
    }

    /// The graph as a Mermaid flowchart (external apps in double brackets;
    /// undeclared and unused edges dotted and labelled).
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (name, kind) in &self.apps {
            let shape = if kind == "external" {
                format!("{name}[[{name}]]")
            } else {
                format!("{name}[{name}]")
            };
            out.push_str(&format!("    {shape}\n"));
        }
        for (from, to, status) in self.edges() {
            match status {
                EdgeStatus::Declared => out.push_str(&format!("    {from} --> {to}\n")),
                _ => out.push_str(&format!("    {from} -. {} .-> {to}\n", status.as_str())),
            }
        }
        out
    }

    /// The graph in Graphviz DOT (external apps as 3-D boxes; undeclared
    /// edges red and dashed, unused ones grey and dashed).
    pub fn dot(&self) -> String {
        self.dot_with("box3d")
    }

    /// [`dot`](Self::dot), external apps drawn as `external`.
    fn dot_with(&self, external: &str) -> String {
        let mut out = String::from("digraph apps {\n    rankdir=LR;\n");
        for (name, kind) in &self.apps {
            let shape = if kind == "external" { external } else { "box" };
            let mut label = format!("{name} ({kind})");
            if let Some((prefix, routes)) = self.mounted.get(name) {
                let prefix = if prefix.is_empty() { "/" } else { prefix };
                let s = if *routes == 1 { "" } else { "s" };
                label.push_str(&format!("\\n{prefix} · {routes} route{s}"));
            }
            out.push_str(&format!("    \"{name}\" [shape={shape}, label=\"{label}\"];\n"));
        }
        for (from, to, status) in self.edges() {
            match status {
                EdgeStatus::Declared => out.push_str(&format!("    \"{from}\" -> \"{to}\";\n")),
                _ => out.push_str(&format!(
                    "    \"{from}\" -> \"{to}\" [style=dashed, color={}, label=\"{}\"];\n",
                    if status == EdgeStatus::Undeclared {
                        "red"
                    } else {
                        "gray"
                    },
                    status.as_str()
                )),
            }
        }
        out.push_str("}\n");
        out
    }

    /// The graph drawn as SVG (`apps graph --format svg`, `<docs_path>/apps`):
    /// [`dot`](Self::dot) laid out in-process by `layout-rs` (no Graphviz),
    /// every app a box labelled with its name, kind and, once
    /// [`mounted`](Self::mounted), its prefix and route count.
    pub fn svg(&self) -> String {
        if self.apps.is_empty() && self.edges.is_empty() && self.declared.is_empty() {
            // layout-rs cannot lay out an empty graph.
            return concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#,
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" viewBox="0 0 200 40">"#,
                r#"<text x="10" y="25" font-family="sans-serif" font-size="14">no apps</text></svg>"#,
                "\n"
            )
            .to_string();
        }
        let dot = self.dot_with("box");
        let drawn = crate::panics::quietly(|| {
            let graph = layout::gv::DotParser::new(&dot).process()?;
            let mut builder = layout::gv::GraphBuilder::new();
            builder.visit_graph(&graph);
            let mut visual = builder.get();
            let mut svg = layout::backends::svg::SVGWriter::new();
            visual.do_it(false, false, false, &mut svg);
            Ok::<_, String>(svg.finalize())
        });
        match drawn {
            Ok(Ok(svg)) => svg,
            Ok(Err(why)) => failed_drawing(&why),
            Err(panic) => failed_drawing(&crate::panics::message(&*panic)),
        }
    }
}

/// An SVG saying the graph could not be drawn, and why.
fn failed_drawing(why: &str) -> String {
    let why = why
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?><svg xmlns="http://www.w3.org/2000/svg" width="600" height="40" viewBox="0 0 600 40"><text x="10" y="25" font-family="sans-serif" font-size="14">the app graph could not be drawn: {why}</text></svg>
"#
    )
}

/// The page at `path` (`<docs_path>/apps`): the graph `draw` returns, as
/// SVG with a legend, drawn on the first request and kept.
pub(crate) fn router<S: Clone + Send + Sync + 'static>(
    path: &str,
    draw: impl Fn() -> AppGraph + Send + Sync + 'static,
) -> axum::Router<S> {
    let page = std::sync::Arc::new(std::sync::OnceLock::new());
    let draw = std::sync::Arc::new(draw);
    axum::Router::new().route(
        path,
        axum::routing::get(move || {
            let page = page.clone();
            let draw = draw.clone();
            async move { axum::response::Html(page.get_or_init(|| apps_page(&draw())).clone()) }
        }),
    )
}

/// The HTML of the apps page.
fn apps_page(graph: &AppGraph) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Apps</title>
<style>
  body {{ font: 15px/1.45 system-ui, sans-serif; margin: 24px; color: #1d2330; }}
  figure {{ margin: 16px 0; overflow: auto; }}
  .legend span {{ margin-right: 18px; }}
</style>
</head>
<body>
<h1>Apps</h1>
<p class="legend"><span>── declared in <code>uses</code></span><span style="color:#c00">- - undeclared</span><span style="color:#888">- - declared, unused</span></p>
<figure id="graph">
{svg}</figure>
</body>
</html>
"#,
        // Inline in HTML: the SVG element without the file's XML declaration.
        svg = graph
            .svg()
            .split_once("?>")
            .map_or(String::new(), |(_, svg)| svg.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_graph_is_drawn_even_empty_or_cyclic() {
        assert!(AppGraph::default().svg().contains(">no apps</text>"));
        let mut graph = AppGraph::default();
        for (from, to) in [("a", "b"), ("b", "a"), ("c", "c")] {
            graph.add_app(from, "internal");
            graph.add_edge(from, to);
        }
        graph.declare("a", &["b".to_string(), "d".to_string()]);
        let svg = graph.svg();
        assert!(!svg.contains("could not be drawn"), "{svg}");
        for label in [
            "a (internal)",
            "b (internal)",
            "c (internal)",
            "undeclared",
            "unused",
        ] {
            assert!(svg.contains(&format!(">{label}</tspan>")), "{label}: {svg}");
        }
        // Undeclared edges red, unused ones grey.
        assert!(svg.contains("stroke=\"#ff0000ff\""), "{svg}");
        let page = apps_page(&graph);
        assert!(
            page.contains("<figure id=\"graph\">\n<svg") && !page.contains("<?xml"),
            "{page}"
        );
    }
}

#[cfg(test)]
mod examples {
    //! The examples of this module's items (the module is private to the
    //! crate, so they run here rather than as doc tests).

    #[test]
    fn app_graph() {
        use crate::graph::AppGraph;
        let mut graph = AppGraph::default();
        graph.add_app("accounts", "internal");
        graph.add_app("blog", "internal");
        graph.add_edge("blog", "accounts");
        graph.declare("blog", &["accounts".to_string()]);
        assert!(graph.cycles().is_empty());
        assert!(graph.mermaid().contains("blog --> accounts"));
        assert!(graph.dot().contains("\"blog\" -> \"accounts\";"));
    }

    #[test]
    fn edge_status() {
        use crate::graph::{AppGraph, EdgeStatus};
        let mut graph = AppGraph::default();
        graph.add_edge("blog", "accounts");
        assert_eq!(graph.edges()[0].2, EdgeStatus::Undeclared); // blog declares no `uses`
        graph.declare("blog", &["accounts".to_string()]);
        assert_eq!(graph.edges()[0].2, EdgeStatus::Declared);
    }

    #[test]
    fn of() {
        use crate::graph::AppGraph;
        let app = crate::fixtures::internal;
        let apps = [app("accounts", &[]), app("blog", &["accounts"])];
        let graph = AppGraph::of(&apps);
        assert_eq!(
            graph.json()["edges"][0],
            serde_json::json!({ "from": "blog", "to": "accounts", "status": "undeclared" })
        );
    }

    #[test]
    fn resolved() {
        use crate::{
            config::Config,
            graph::AppGraph,
            loader,
            registry::{AppEntry, AppKind, Location},
            Project,
        };
        static BLOG: AppEntry = AppEntry {
            name: "blog",
            kind: AppKind::External,
            depends_on: &["accounts"],
            crate_name: "blog",
            location: Location {
                file: "blog/src/lib.rs",
                line: 1,
            },
            ..crate::fixtures::APP
        };
        static PROJECT: Project = Project {
            external_apps: &[&BLOG],
            ..crate::fixtures::PROJECT
        };
        let config = Config::parse(
            "fastapp.toml",
            "apps = [\"blog\"]\n[app.blog]\nuses = [\"accounts\", \"tags\"]\n",
        )
        .unwrap();
        let (resolved, _) = loader::resolve_all(&PROJECT, &config);
        let json = AppGraph::resolved(&resolved.apps).json();
        assert_eq!(json["apps"][0]["uses"], serde_json::json!(["accounts", "tags"]));
        assert_eq!(
            json["edges"][1],
            serde_json::json!({ "from": "blog", "to": "tags", "status": "unused" })
        );
    }

    #[test]
    fn mounted() {
        let mut graph = crate::graph::AppGraph::default();
        graph.add_app("blog", "internal");
        graph.mounted("blog", "/blog", 5);
        assert!(graph
            .dot()
            .contains("label=\"blog (internal)\\n/blog · 5 routes\""));
    }

    #[test]
    fn json() {
        let mut graph = crate::graph::AppGraph::default();
        graph.add_app("blog", "internal");
        graph.add_edge("blog", "accounts");
        let json = graph.json();
        assert_eq!(json["apps"][0]["name"], "blog");
        assert_eq!(json["apps"][0]["uses"], serde_json::Value::Null);
        assert_eq!(
            json["edges"][0],
            serde_json::json!({ "from": "blog", "to": "accounts", "status": "undeclared" })
        );
    }

    #[test]
    fn add_app() {
        let mut graph = crate::graph::AppGraph::default();
        graph.add_app("newsletter", "external");
        graph.add_app("newsletter", "external");
        assert_eq!(graph.json()["apps"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn add_edge() {
        let mut graph = crate::graph::AppGraph::default();
        graph.add_edge("blog", "accounts");
        graph.add_edge("accounts", "blog");
        assert_eq!(graph.cycles(), [["accounts", "blog", "accounts"]]);
    }

    #[test]
    fn cycles() {
        let mut g = crate::graph::AppGraph::default();
        for (a, b) in [("a", "b"), ("b", "c"), ("c", "a")] {
            g.add_edge(a, b);
        }
        assert_eq!(g.cycles(), vec![vec!["a", "b", "c", "a"]]);
    }

    #[test]
    fn mermaid() {
        let mut graph = crate::graph::AppGraph::default();
        graph.add_app("blog", "internal");
        graph.add_app("newsletter", "external");
        graph.add_edge("blog", "accounts");
        graph.declare("blog", &["accounts".to_string(), "tags".to_string()]);
        assert_eq!(
            graph.mermaid(),
            "flowchart LR\n    blog[blog]\n    newsletter[[newsletter]]\n    blog --> accounts\n    blog -. unused .-> tags\n"
        );
    }

    #[test]
    fn dot() {
        let mut graph = crate::graph::AppGraph::default();
        graph.add_app("newsletter", "external");
        assert!(graph
            .dot()
            .contains("\"newsletter\" [shape=box3d, label=\"newsletter (external)\"];"));
    }

    #[test]
    fn svg() {
        let mut graph = crate::graph::AppGraph::default();
        graph.add_app("accounts", "internal");
        graph.add_app("blog", "internal");
        graph.add_edge("blog", "accounts");
        let svg = graph.svg();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains(">blog (internal)</tspan>"));
    }
}
