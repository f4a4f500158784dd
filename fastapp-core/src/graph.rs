//! The app dependency graph, from the references `#[internal_app]` found in
//! each app's source at compile time: cycle detection and rendering.

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
/// assert!(graph.cycles().is_empty());
/// assert!(graph.mermaid().contains("blog --> accounts"));
/// assert!(graph.dot().contains("\"blog\" -> \"accounts\";"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct AppGraph {
    /// App name → kind label, in insertion order by name.
    apps: Vec<(String, String)>,
    /// Edges `from → to`, sorted.
    edges: BTreeMap<String, Vec<String>>,
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
    /// assert_eq!(graph.json()["edges"][0], serde_json::json!({ "from": "blog", "to": "accounts" }));
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

    /// The graph as JSON (`apps graph --json`):
    /// `{"apps": [{"name", "kind"}], "edges": [{"from", "to"}]}`.
    ///
    /// ```
    /// let mut graph = fastapp_core::graph::AppGraph::default();
    /// graph.add_app("blog", "internal");
    /// graph.add_edge("blog", "accounts");
    /// let json = graph.json();
    /// assert_eq!(json["apps"][0]["name"], "blog");
    /// assert_eq!(json["edges"][0], serde_json::json!({ "from": "blog", "to": "accounts" }));
    /// ```
    pub fn json(&self) -> serde_json::Value {
        let apps: Vec<_> = self
            .apps
            .iter()
            .map(|(name, kind)| serde_json::json!({ "name": name, "kind": kind }))
            .collect();
        let edges: Vec<_> = self
            .edges
            .iter()
            .flat_map(|(from, targets)| {
                targets
                    .iter()
                    .map(move |to| serde_json::json!({ "from": from, "to": to }))
            })
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

    /// The graph as a Mermaid flowchart (external apps in double brackets).
    ///
    /// ```
    /// let mut graph = fastapp_core::graph::AppGraph::default();
    /// graph.add_app("blog", "internal");
    /// graph.add_app("newsletter", "external");
    /// graph.add_edge("newsletter", "blog");
    /// assert_eq!(
    ///     graph.mermaid(),
    ///     "flowchart LR\n    blog[blog]\n    newsletter[[newsletter]]\n    newsletter --> blog\n"
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
        for (from, targets) in &self.edges {
            for to in targets {
                out.push_str(&format!("    {from} --> {to}\n"));
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
        for (from, targets) in &self.edges {
            for to in targets {
                out.push_str(&format!("    \"{from}\" -> \"{to}\";\n"));
            }
        }
        out.push_str("}\n");
        out
    }
}
