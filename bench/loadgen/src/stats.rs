//! Latency histograms, counters, CPU time of processes, and the JSON they end up in.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde_json::{Value, json};

/// Latencies in microseconds, 1 µs to 60 s, 3 significant digits.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds")
}

pub fn record(h: &mut Histogram<u64>, d: Duration) {
    let us = (d.as_micros() as u64).clamp(1, 60_000_000);
    h.record(us).expect("within bounds");
}

/// p50/p90/p99/max and mean in milliseconds.
pub fn summary(h: &Histogram<u64>) -> Value {
    let ms = |us: u64| us as f64 / 1000.0;
    json!({
        "count": h.len(),
        "mean_ms": (h.mean() / 10.0).round() / 100.0,
        "p50_ms": ms(h.value_at_quantile(0.50)),
        "p90_ms": ms(h.value_at_quantile(0.90)),
        "p99_ms": ms(h.value_at_quantile(0.99)),
        "p999_ms": ms(h.value_at_quantile(0.999)),
        "max_ms": ms(h.max()),
    })
}

/// Named histograms and counters of one worker, merged at the end.
#[derive(Default)]
pub struct Tally {
    pub histograms: BTreeMap<&'static str, Histogram<u64>>,
    pub counts: BTreeMap<&'static str, u64>,
    pub errors: BTreeMap<String, u64>,
}

impl Tally {
    pub fn latency(&mut self, name: &'static str, d: Duration) {
        record(self.histograms.entry(name).or_insert_with(histogram), d);
    }

    pub fn count(&mut self, name: &'static str, n: u64) {
        *self.counts.entry(name).or_default() += n;
    }

    pub fn error(&mut self, what: impl Into<String>) {
        *self.errors.entry(what.into()).or_default() += 1;
    }

    pub fn merge(&mut self, other: Tally) {
        for (k, h) in other.histograms {
            self.histograms
                .entry(k)
                .or_insert_with(histogram)
                .add(&h)
                .expect("same bounds");
        }
        for (k, n) in other.counts {
            self.count(k, n);
        }
        for (k, n) in other.errors {
            *self.errors.entry(k).or_default() += n;
        }
    }

    pub fn json(&self, seconds: f64) -> Value {
        let rates: BTreeMap<&str, f64> = self
            .counts
            .iter()
            .map(|(k, n)| (*k, (*n as f64 / seconds * 10.0).round() / 10.0))
            .collect();
        let latency: BTreeMap<&str, Value> = self
            .histograms
            .iter()
            .map(|(k, h)| (*k, summary(h)))
            .collect();
        json!({
            "seconds": seconds,
            "counts": self.counts,
            "per_second": rates,
            "latency": latency,
            "errors": self.errors,
        })
    }
}

/// The measurement window: requests started after `start` and finished before `end` count.
#[derive(Clone, Copy)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
}

impl Window {
    pub fn new(warmup: f64, duration: f64) -> Window {
        let start = Instant::now() + Duration::from_secs_f64(warmup);
        Window {
            start,
            end: start + Duration::from_secs_f64(duration),
        }
    }

    pub fn counts(&self, began: Instant, ended: Instant) -> bool {
        began >= self.start && ended <= self.end
    }

    pub fn over(&self) -> bool {
        Instant::now() >= self.end
    }
}

/// User + system CPU seconds of a process so far (from /proc; 0 where unavailable).
pub fn cpu_seconds(pid: Option<u32>) -> f64 {
    let path = match pid {
        Some(p) => format!("/proc/{p}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0.0;
    };
    // Fields after the command name (which may contain spaces) in parentheses.
    let Some(rest) = text.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
    (ticks(11) + ticks(12)) / clock_ticks()
}

fn clock_ticks() -> f64 {
    // getconf CLK_TCK is 100 on every Linux this runs on.
    100.0
}

/// Context switches (voluntary + involuntary) of all threads of a process so far.
pub fn context_switches(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    let mut total = 0;
    for task in tasks.flatten() {
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
            continue;
        };
        for line in status.lines() {
            if let Some(n) = line
                .strip_prefix("voluntary_ctxt_switches:")
                .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
            {
                total += n.trim().parse::<u64>().unwrap_or(0);
            }
        }
    }
    total
}

/// CPU use of this process and of the server between two points in time.
pub struct CpuMeter {
    server: Option<u32>,
    at: Instant,
    own: f64,
    server_cpu: f64,
    server_switches: u64,
}

impl CpuMeter {
    pub fn start(server: Option<u32>) -> CpuMeter {
        CpuMeter {
            server,
            at: Instant::now(),
            own: cpu_seconds(None),
            server_cpu: server.map_or(0.0, |p| cpu_seconds(Some(p))),
            server_switches: server.map_or(0, context_switches),
        }
    }

    /// Cores used (CPU seconds per second) by the load generator and the server.
    pub fn stop(&self) -> Value {
        let wall = self.at.elapsed().as_secs_f64();
        let own = (cpu_seconds(None) - self.own) / wall;
        let server = self
            .server
            .map(|p| (cpu_seconds(Some(p)) - self.server_cpu) / wall);
        let switches = self
            .server
            .map(|p| context_switches(p).saturating_sub(self.server_switches));
        let round = |x: f64| (x * 100.0).round() / 100.0;
        json!({
            "loadgen_cores": round(own),
            "server_cores": server.map(round),
            "server_context_switches_per_second": switches.map(|n| (n as f64 / wall).round()),
        })
    }
}
