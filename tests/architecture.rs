//! The module structure `docs/architecture.md` describes, checked on the source: no two
//! modules depend on each other (at the crate's top level, and among the modules of each
//! folder), so every module can be read and tested from the bottom up. Test code
//! (`tests.rs`, `*_tests.rs`, anything after `#[cfg(test)]`) and comments do not count.
//! Also: no match over question kinds has a catch-all arm, and no function is longer than
//! 150 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file (without comment lines and its tests).
fn code(path: &Path) -> String {
    let name = path.file_stem().unwrap().to_string_lossy();
    if name == "tests" || name.ends_with("_tests") {
        return String::new();
    }
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names `prefix::NAME` and `prefix::{NAME, …}` mention in `text`.
fn mentions<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    let leading = |s: &'a str| {
        let s = s.trim_start();
        let end = s
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(s.len());
        &s[..end]
    };
    let mut found = Vec::new();
    for (i, _) in text.match_indices(prefix) {
        // `crate::x`, not `my_crate::x`.
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The first segment of each item of the group (nested groups belong to them).
            let (mut depth, mut start) = (0usize, 0usize);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.push(leading(&group[start..j]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(leading(&group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(leading(rest));
        }
    }
    found.retain(|m| !m.is_empty() && *m != "self");
    found
}

/// Strongly connected groups of more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph[v].iter().filter(|w| s.graph.contains_key(*w)) {
            if !s.index.contains_key(w.as_str()) {
                visit(s, w);
                let low = s.low[w.as_str()].min(s.low[v]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w.as_str()) {
                let low = s.index[w.as_str()].min(s.low[v]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.found.push(group);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

/// The module a file belongs to, one level below `root`: `root/a.rs` and `root/a/**` are `a`.
fn module_below(root: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(root).ok()?.components().next()?;
    let name = first.as_os_str().to_string_lossy();
    let name = name.trim_end_matches(".rs");
    (name != "mod" && name != "lib" && name != "main").then(|| name.to_string())
}

#[test]
fn no_two_modules_depend_on_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "the source was found: {}", files.len());

    // The crate's top level: `crate::NAME` mentions.
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_below(&src, file) else {
            continue;
        };
        let code = code(file);
        top.entry(module.clone()).or_default().extend(
            mentions(&code, "crate::")
                .into_iter()
                .filter(|m| *m != module)
                .map(str::to_string),
        );
    }
    assert!(
        top.get("web").is_some_and(|d| d.contains("store")),
        "the graph is read"
    );
    assert_eq!(cycles(&top), Vec::<Vec<String>>::new(), "top-level cycles");
    // The report reads the core's responses (crate::survey::response), not storage rows.
    assert!(
        top.get("report")
            .is_some_and(|d| !d.contains("store") && d.contains("survey")),
        "report depends on {:?}",
        top.get("report")
    );

    // Each folder's modules: `crate::FOLDER::NAME` and, in files directly in it, `super::NAME`.
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "mod.rs"))
        .map(|f| f.parent().unwrap().to_path_buf())
        .collect();
    folders.sort();
    assert!(folders.len() > 8, "{folders:?}");
    let mut found = Vec::new();
    for folder in &folders {
        let path = folder.strip_prefix(&src).unwrap().to_string_lossy();
        let qualified = format!("crate::{}::", path.replace('/', "::"));
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in files.iter().filter(|f| f.starts_with(folder)) {
            let Some(module) = module_below(folder, file) else {
                continue;
            };
            let directly_in = file.parent() == Some(folder.as_path());
            let code = code(file);
            let mut names = mentions(&code, &qualified);
            if directly_in {
                names.extend(mentions(&code, "super::"));
            }
            graph.entry(module.clone()).or_default().extend(
                names
                    .into_iter()
                    .filter(|m| *m != module)
                    .map(str::to_string),
            );
        }
        found.extend(
            cycles(&graph)
                .into_iter()
                .map(|c| format!("{path}: {}", c.join(" -> "))),
        );
    }
    assert_eq!(found, Vec::<String>::new(), "cycles within folders");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(
        cycles(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])),
        [["a", "b", "c"]]
    );
    assert!(cycles(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
    assert_eq!(
        mentions("use crate::web::AppState; x_crate::no", "crate::"),
        ["web"]
    );
}

/// Whether `arm` (a trimmed line) starts an arm that matches anything: its pattern is
/// only wildcards and bindings (`_`, `other`, `(_, kind)`, `Some(_)`), without a guard.
fn catch_all_arm(arm: &str) -> bool {
    let Some((pattern, _)) = arm.split_once("=>") else {
        return false;
    };
    let pattern = pattern.trim();
    let inner = pattern
        .strip_prefix("Some(")
        .or_else(|| pattern.strip_prefix('('))
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(pattern);
    !inner.is_empty()
        && inner.split(',').map(str::trim).all(|part| {
            part == "_"
                || (part.starts_with(|c: char| c.is_ascii_lowercase())
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        })
}

/// The lines (1-based) of `code` holding a catch-all arm (`_ =>`, `Some(_) =>`, `(_, _)
/// =>`, a binding such as `(_, kind) =>`) in a match whose other arms name
/// `QuestionKind::` variants: such an arm lets a new question type compile with a piece
/// of its behaviour missing. An arm's siblings are
/// the lines at its indentation up to the match (and the patterns of a tuple arm, one
/// level deeper, that begin with the variant).
fn catch_alls_over_question_kinds(code: &str) -> Vec<usize> {
    let lines: Vec<&str> = code.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !catch_all_arm(line.trim_start()) {
            continue;
        }
        let depth = indent(line);
        let names_a_kind = lines[..i]
            .iter()
            .rev()
            .filter(|l| !l.trim().is_empty())
            .take_while(|l| indent(l) >= depth)
            .any(|l| {
                let t = l.trim_start();
                (indent(l) == depth && t.contains("QuestionKind::"))
                    || (indent(l) == depth + 4
                        && (t.starts_with("QuestionKind::") || t.starts_with("| QuestionKind::")))
            });
        if names_a_kind {
            found.push(i + 1);
        }
    }
    found
}

#[test]
fn no_match_over_question_kinds_has_a_catch_all_arm() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    let mut matches_seen = 0;
    for file in &files {
        let code = code(file);
        matches_seen += code.matches("QuestionKind::").count();
        found.extend(
            catch_alls_over_question_kinds(&code)
                .into_iter()
                .map(|line| format!("{}: line {line} of its code", file.display())),
        );
    }
    assert!(matches_seen > 100, "the source was read: {matches_seen}");
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn the_catch_all_finder_finds_catch_alls() {
    let code = "fn f(kind: &QuestionKind) -> u8 {
    match kind {
        QuestionKind::Note => 0,
        _ => 1,
    }
}
fn g(pair: (&QuestionKind, u8)) -> u8 {
    match pair {
        (
            QuestionKind::Note
            | QuestionKind::YesNo,
            _,
        ) => 0,
        (_, _) => 1,
    }
}
fn h(x: Option<u8>) -> u8 {
    match x {
        Some(1) => 0,
        _ => 1,
    }
}
fn i(pair: (u8, &QuestionKind)) -> u8 {
    match pair {
        (_, QuestionKind::Note) => 0,
        (_, kind) if kind.is_answerable() => 1,
        (_, kind) => 2,
    }
}";
    assert_eq!(catch_alls_over_question_kinds(code), [4, 14, 27]);
}

/// The name of the function a line of code starts (`pub(crate) async fn name(`).
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    if let Some(r) = rest.strip_prefix("pub") {
        rest = r.trim_start();
        if rest.starts_with('(') {
            rest = rest[rest.find(')')? + 1..].trim_start();
        }
    }
    for word in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(word).unwrap_or(rest);
    }
    let name: String = rest
        .strip_prefix("fn ")?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The functions of `code` longer than `limit` lines, from `fn` to the brace that closes
/// its body, with their length. Braces in strings, raw strings and character literals do
/// not count; a function inside another counts as part of it.
fn long_functions(code: &str, limit: usize) -> Vec<(String, usize)> {
    let lines: Vec<Vec<char>> = code.lines().map(|l| l.chars().collect()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = fn_name(&lines[i].iter().collect::<String>()) else {
            i += 1;
            continue;
        };
        let (mut depth, mut started, mut end) = (0i32, false, None);
        let (mut in_str, mut raw): (bool, Option<usize>) = (false, None);
        'lines: for (j, line) in lines.iter().enumerate().skip(i) {
            let mut k = 0;
            while k < line.len() {
                let c = line[k];
                if let Some(hashes) = raw {
                    let closes = c == '"'
                        && line.len() > k + hashes
                        && line[k + 1..=k + hashes].iter().all(|&h| h == '#');
                    if closes {
                        raw = None;
                        k += hashes;
                    }
                } else if in_str {
                    match c {
                        '\\' => k += 1,
                        '"' => in_str = false,
                        _ => {}
                    }
                } else {
                    match c {
                        'r' if k == 0 || !line[k - 1].is_alphanumeric() || line[k - 1] == 'b' => {
                            let hashes = line[k + 1..].iter().take_while(|&&h| h == '#').count();
                            if line.get(k + 1 + hashes) == Some(&'"') {
                                raw = Some(hashes);
                                k += 1 + hashes;
                            }
                        }
                        '"' => in_str = true,
                        '\'' => match (line.get(k + 1), line.get(k + 2)) {
                            (Some('\\'), _) => {
                                let rest = line.get(k + 3..).unwrap_or_default();
                                k += 3 + rest.iter().position(|&q| q == '\'').unwrap_or(0);
                            }
                            (Some(_), Some('\'')) => k += 2,
                            _ => {} // a lifetime
                        },
                        '{' => {
                            depth += 1;
                            started = true;
                        }
                        '}' => {
                            depth -= 1;
                            if started && depth == 0 {
                                end = Some(j);
                                break 'lines;
                            }
                        }
                        ';' if !started => break 'lines, // a declaration without a body
                        _ => {}
                    }
                }
                k += 1;
            }
        }
        match end {
            Some(j) => {
                if j - i + 1 > limit {
                    out.push((name, j - i + 1));
                }
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// No god functions: anything longer is split into functions a reader can name (issue
/// 20). Tests are exempt (a table of cases may be long).
#[test]
fn no_function_is_longer_than_150_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("analysis/src"), &mut files);
    let mut long = Vec::new();
    let mut functions = 0;
    for file in &files {
        let code = code(file);
        functions += code.lines().filter(|l| fn_name(l).is_some()).count();
        long.extend(
            long_functions(&code, 150)
                .into_iter()
                .map(|(name, n)| format!("{}: {name} ({n} lines)", file.display())),
        );
    }
    assert!(
        functions > 500,
        "the source was read: {functions} functions"
    );
    assert_eq!(long, Vec::<String>::new());
}

#[test]
fn the_function_length_finder_measures_functions() {
    let code = r##"
pub(crate) async fn short() {
    let s = "}}}";
    let r = r#"{ "}" }"#;
    let c = '}';
    let e = '\'';
}
fn long<'a>(x: &'a str) -> usize {
    let open = '{';
    let text = "{ a \" {";
    x.len()
}
fn declared();
"##;
    assert_eq!(long_functions(code, 6), vec![]);
    assert_eq!(
        long_functions(code, 5),
        vec![("short".to_string(), 6)],
        "braces in strings and characters do not count"
    );
    assert_eq!(
        long_functions(code, 4),
        vec![("short".to_string(), 6), ("long".to_string(), 5)]
    );
    assert_eq!(
        fn_name("    pub(super) const fn f_1<T>() {"),
        Some("f_1".into())
    );
    assert_eq!(fn_name("let f = 1;"), None);
}
