//! The app dependency graph, from the references `#[internal_app]` found in
//! each app's source at compile time, beside the dependencies each app
//! declares (`[app.<name>] uses`): cycle detection and rendering.

use std::collections::BTreeMap;

use crate::registry::{AppEntry, AppKind};

/// Apps and "uses" edges between them.
///
/// ```
/// use fastapp_core::graph::AppGraph;
/// let mut graph = AppGraph::default();
/// graph.add_app("accounts", "internal");
/// graph.add_app("blog", "internal");
/// graph.add_edge("blog", "accounts");
/// graph.declare("blog", &["accounts".to_string()]);
/// assert!(graph.cycles().is_empty());
/// assert!(graph.mermaid().contains("blog --> accounts"));
/// assert!(graph.dot().contains("\"blog\" -> \"accounts\";"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct AppGraph {
    /// App name → kind label, in insertion order by name.
    apps: Vec<(String, String)>,
    /// Edges `from → to`, sorted: what the code uses.
    edges: BTreeMap<String, Vec<String>>,
    /// `uses` of the apps that declare it.
    declared: BTreeMap<String, Vec<String>>,
}

/// What an edge of the graph is, given what its app declares.
///
/// ```
/// use fastapp_core::graph::{AppGraph, EdgeStatus};
/// let mut graph = AppGraph::default();
/// graph.add_edge("blog", "accounts");
/// assert_eq!(graph.edges()[0].2, EdgeStatus::Undeclared); // blog declares no `uses`
/// graph.declare("blog", &["accounts".to_string()]);
/// assert_eq!(graph.edges()[0].2, EdgeStatus::Declared);
/// ```
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
    ///
    /// ```
    /// use fastapp_core::{graph::AppGraph, registry::{AppEntry, AppKind, Location}};
    /// let app = |name, depends_on| AppEntry {
    ///     name, kind: AppKind::Internal, default_prefix: None, register: |_| Ok(None), depends_on,
    ///     migrations: &[], crate_name: "demo", location: Location { file: "src/apps/x/mod.rs", line: 1 },
    /// };
    /// let apps = [app("accounts", &[]), app("blog", &["accounts"])];
    /// let graph = AppGraph::of(&apps);
    /// assert_eq!(graph.json()["edges"][0], serde_json::json!({ "from": "blog", "to": "accounts", "status": "undeclared" }));
    /// ```
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

    /// [`declare`](Self::declare) for every app of the graph that declares
    /// `uses` in `config`.
    ///
    /// ```
    /// use fastapp_core::{config::Config, graph::AppGraph};
    /// let config = Config::parse("fastapp.toml", "apps = []\n[app.blog]\nuses = [\"accounts\", \"tags\"]\n").unwrap();
    /// let mut graph = AppGraph::default();
    /// graph.add_app("blog", "internal");
    /// graph.add_edge("blog", "accounts");
    /// let json = graph.with_declared(&config).json();
    /// assert_eq!(json["apps"][0]["uses"], serde_json::json!(["accounts", "tags"]));
    /// assert_eq!(json["edges"][1], serde_json::json!({ "from": "blog", "to": "tags", "status": "unused" }));
    /// ```
    pub fn with_declared(mut self, config: &crate::config::Config) -> AppGraph {
        let names: Vec<String> = self.apps.iter().map(|(name, _)| name.clone()).collect();
        for name in names {
            if let Some(uses) = config.uses_of(&name) {
                self.declare(&name, &uses.apps);
            }
        }
        self
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
    ///
    /// ```
    /// let mut graph = fastapp_core::graph::AppGraph::default();
    /// graph.add_app("blog", "internal");
    /// graph.add_edge("blog", "accounts");
    /// let json = graph.json();
    /// assert_eq!(json["apps"][0]["name"], "blog");
    /// assert_eq!(json["apps"][0]["uses"], serde_json::Value::Null);
    /// assert_eq!(json["edges"][0], serde_json::json!({ "from": "blog", "to": "accounts", "status": "undeclared" }));
    /// ```
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
    ///
    /// ```
    /// let mut graph = fastapp_core::graph::AppGraph::default();
    /// graph.add_app("newsletter", "external");
    /// graph.add_app("newsletter", "external");
    /// assert_eq!(graph.json()["apps"].as_array().unwrap().len(), 1);
    /// ```
    pub fn add_app(&mut self, name: &str, kind: &str) {
        if !self.apps.iter().any(|(n, _)| n == name) {
            self.apps.push((name.to_string(), kind.to_string()));
        }
    }

    /// Adds an edge: `from` uses `to` (once per pair).
    ///
    /// ```
    /// let mut graph = fastapp_core::graph::AppGraph::default();
    /// graph.add_edge("blog", "accounts");
    /// graph.add_edge("accounts", "blog");
    /// assert_eq!(graph.cycles(), [["accounts", "blog", "accounts"]]);
    /// ```
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
    ///
    /// ```
    /// let mut g = fastapp_core::graph::AppGraph::default();
    /// for (a, b) in [("a", "b"), ("b", "c"), ("c", "a")] { g.add_edge(a, b); }
    /// assert_eq!(g.cycles(), vec![vec!["a", "b", "c", "a"]]);
    /// ```
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
    ///
    /// ```
    /// let mut graph = fastapp_core::graph::AppGraph::default();
    /// graph.add_app("blog", "internal");
    /// graph.add_app("newsletter", "external");
    /// graph.add_edge("blog", "accounts");
    /// graph.declare("blog", &["accounts".to_string(), "tags".to_string()]);
    /// assert_eq!(
    ///     graph.mermaid(),
    ///     "flowchart LR\n    blog[blog]\n    newsletter[[newsletter]]\n    blog --> accounts\n    blog -. unused .-> tags\n"
    /// );
    /// ```
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

    /// The graph in Graphviz DOT (external apps as 3-D boxes).
    ///
    /// ```
    /// let mut graph = fastapp_core::graph::AppGraph::default();
    /// graph.add_app("newsletter", "external");
    /// assert!(graph.dot().contains("\"newsletter\" [shape=box3d, label=\"newsletter (external)\"];"));
    /// ```
    pub fn dot(&self) -> String {
        let mut out = String::from("digraph apps {\n    rankdir=LR;\n");
        for (name, kind) in &self.apps {
            let shape = if kind == "external" { "box3d" } else { "box" };
            out.push_str(&format!(
                "    \"{name}\" [shape={shape}, label=\"{name} ({kind})\"];\n"
            ));
        }
        for (from, to, status) in self.edges() {
            match status {
                EdgeStatus::Declared => out.push_str(&format!("    \"{from}\" -> \"{to}\";\n")),
                _ => out.push_str(&format!(
                    "    \"{from}\" -> \"{to}\" [style=dashed, label=\"{}\"];\n",
                    status.as_str()
                )),
            }
        }
        out.push_str("}\n");
        out
    }
}
