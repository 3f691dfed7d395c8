//! The Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE`
//! once per family, then one `name{label="value"} number` line per sample.

use std::fmt::Write;

/// The kind of a metric family, as written in `# TYPE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only goes up (reset on restart).
    Counter,
    /// Goes up and down.
    Gauge,
    /// Observations counted into cumulative buckets.
    Histogram,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// Builds one scrape.
#[derive(Debug, Default)]
pub struct Encoder {
    out: String,
}

impl Encoder {
    /// Starts a family: its help text and type.
    pub fn family(&mut self, name: &str, help: &str, kind: Kind) {
        // Writing into a String cannot fail.
        let _ = writeln!(
            self.out,
            "# HELP {name} {}\n# TYPE {name} {}",
            escape_help(help),
            kind.as_str()
        );
    }

    /// One sample line of the current family.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (key, value)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{key}=\"{}\"", escape_label(value));
            }
            self.out.push('}');
        }
        self.out.push(' ');
        write_number(&mut self.out, value);
        self.out.push('\n');
    }

    /// The finished text.
    pub fn finish(self) -> String {
        self.out
    }
}

fn write_number(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str("NaN");
    } else if value.is_infinite() {
        out.push_str(if value > 0.0 { "+Inf" } else { "-Inf" });
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        let _ = write!(out, "{}", value as i64);
    } else {
        let _ = write!(out, "{value}");
    }
}

/// Label values escape `\`, `"` and newlines.
fn escape_label(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains(['\\', '"', '\n']) {
        return value.into();
    }
    value
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
        .into()
}

/// Help text escapes `\` and newlines.
fn escape_help(value: &str) -> String {
    value.replace('\\', r"\\").replace('\n', r"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_and_samples_have_the_text_format() {
        let mut out = Encoder::default();
        out.family("moim_rooms", "Rooms open now.", Kind::Gauge);
        out.sample("moim_rooms", &[("namespace", "/moim")], 3.0);
        out.sample("moim_x", &[("a", "q\"u\\o\nte"), ("b", "2")], 0.25);
        out.sample("moim_y", &[], f64::INFINITY);
        assert_eq!(
            out.finish(),
            "# HELP moim_rooms Rooms open now.\n# TYPE moim_rooms gauge\n\
             moim_rooms{namespace=\"/moim\"} 3\n\
             moim_x{a=\"q\\\"u\\\\o\\nte\",b=\"2\"} 0.25\n\
             moim_y +Inf\n"
        );
    }
}
