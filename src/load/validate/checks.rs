//! Checks of the whole workspace once it is built: task dependency cycles, done tasks that the
//! databases do not reflect, and documents and facts nothing uses.

use crate::diag::{Code, Diagnostic};
use crate::workspace::*;

/// Task dependency cycles, each reported once with every member.
pub(super) fn dependency_cycles(tasks: &IdVec<TaskId, Task>, diags: &mut Vec<Diagnostic>) {
    let mut g = petgraph::graph::DiGraph::<TaskId, ()>::with_capacity(tasks.len(), 0);
    let nodes: IdVec<TaskId, _> = tasks.ids().map(|i| g.add_node(i)).collect();
    for (i, t) in tasks.iter_enumerated() {
        for &d in &t.depends_on {
            g.add_edge(nodes[i], nodes[d], ());
        }
    }
    for scc in petgraph::algo::tarjan_scc(&g) {
        let self_loop = scc.len() == 1 && tasks[g[scc[0]]].depends_on.contains(&g[scc[0]]);
        if scc.len() > 1 || self_loop {
            let mut members: Vec<TaskId> = scc.iter().map(|&n| g[n]).collect();
            members.sort_unstable_by(|a, b| tasks[*a].id.cmp(&tasks[*b].id));
            let names: Vec<&str> = members.iter().map(|&m| tasks[m].id.as_str()).collect();
            let mut d = Diagnostic::new(
                Code::DependencyCycle,
                format!("tasks depend on each other in a cycle: {}", names.join(", ")),
                Some(tasks[members[0]].at.clone()),
            )
            .help("remove one `depends_on` entry so that the tasks can be ordered");
            for &m in &members[1..] {
                d = d.related(tasks[m].at.clone(), format!("`{}` is in the cycle", tasks[m].id));
            }
            diags.push(d);
        }
    }
}

/// Warns when a `done` task's effects are not in the databases as written.
pub(super) fn done_tasks_reflected(ws: &Workspace, diags: &mut Vec<Diagnostic>) {
    for t in ws.tasks.iter().filter(|t| t.status == TaskStatus::Done) {
        for e in &t.effects {
            let missing = match e {
                Effect::Status(d, s) => {
                    let db = &ws.databases[*d];
                    (db.status < *s).then(|| format!("database `{}` is `{:?}`, not `{:?}`", db.id, db.status, s).to_lowercase())
                }
                Effect::Serves(d, sels) => {
                    let db = &ws.databases[*d];
                    sels.iter()
                        .any(|s| !db.serves.contains(s))
                        .then(|| format!("database `{}` does not serve all the selectors it adds", db.id))
                }
                Effect::Provides(d, facts) => {
                    let db = &ws.databases[*d];
                    facts
                        .iter()
                        .find(|&&f| !db.provides.contains(f.index()))
                        .map(|&f| format!("database `{}` does not provide `{}`", db.id, ws.facts[f].id))
                }
                Effect::Quality(d, q) => {
                    let db = &ws.databases[*d];
                    (0..4).find(|&i| q[i].is_some_and(|v| db.quality[i] < v)).map(|i| {
                        format!(
                            "database `{}` has {} {} below the {} the task reached",
                            db.id,
                            CRITERIA[i],
                            db.quality[i],
                            q[i].unwrap_or(0.0)
                        )
                    })
                }
                Effect::Unlock(doc) => {
                    let d = &ws.documents[*doc];
                    d.lock.is_some().then(|| format!("document `{}` is still locked", d.id))
                }
            };
            if let Some(m) = missing {
                diags.push(
                    Diagnostic::new(Code::DoneTaskNotReflected, format!("task `{}` is done, but {m}", t.id), Some(t.at.clone()))
                        .help("update the databases file to the state after the task, or change the task's status"),
                );
            }
        }
    }
}

/// Warns about documents and facts nothing uses.
pub(super) fn unused(ws: &Workspace, diags: &mut Vec<Diagnostic>) {
    let mut doc_used: IdVec<DocId, bool> = IdVec::from_elem(false, ws.documents.len());
    let mut fact_used = ws.fact_set();
    for p in &ws.procedures {
        for c in &p.components {
            for &d in &c.documents {
                doc_used[d] = true;
            }
            if let Some(f) = &c.proves {
                fact_used.union_with(f);
            }
        }
        for &d in &p.produces {
            doc_used[d] = true;
        }
    }
    for t in &ws.tasks {
        for e in &t.effects {
            match e {
                Effect::Unlock(d) => doc_used[*d] = true,
                Effect::Provides(_, facts) => facts.iter().for_each(|&f| fact_used.insert(f.index())),
                _ => {}
            }
        }
    }
    for d in &ws.documents {
        fact_used.union_with(&d.proves);
    }
    for db in &ws.databases {
        fact_used.union_with(&db.provides);
    }
    // A document with other wordings or result codes is there to recognize what a catalog
    // import will bring; unused today, it is not dead.
    for (i, d) in ws.documents.iter_enumerated() {
        if !doc_used[i] && d.names.is_empty() && d.result_codes.is_empty() {
            diags.push(
                Diagnostic::new(Code::UnusedDocument, format!("document `{}` is named by no procedure", d.id), Some(d.at.clone()))
                    .help("delete it, or add it to the procedures that ask for it"),
            );
        }
    }
    for (i, f) in ws.facts.iter().enumerate() {
        if !fact_used.contains(i) {
            diags.push(
                Diagnostic::new(Code::UnusedFact, format!("fact `{}` is proved, provided and needed by nothing", f.id), Some(f.at.clone()))
                    .help("delete it, or name it in a document's `proves` or a database's `provides`"),
            );
        }
    }
}
