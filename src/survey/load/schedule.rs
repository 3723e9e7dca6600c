//! Reading when a survey takes answers: `opens`, `closes` (dates or date-times; a bare
//! date or date-time is in the survey's `timezone`, default Europe/Prague) and `quota`.

use jiff::civil;
use jiff::tz::TimeZone;
use time::OffsetDateTime;
use toml::de::DeValue;
use toml::value::{Datetime, Offset};

use crate::survey::model::Schedule;
use crate::survey::reader::{Ctx, Table, describe};

pub const DEFAULT_TIMEZONE: &str = "Europe/Prague";

#[derive(Clone, Copy)]
enum Edge {
    /// A bare date means the start of that day (`opens`).
    StartOfDay,
    /// A bare date means the end of that day (`closes = 2024-02-29` takes answers all day).
    EndOfDay,
}

pub fn read_schedule(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> (Schedule, TimeZone) {
    let tz = match root.string(ctx, "timezone", "\"Europe/Prague\"") {
        None => TimeZone::get(DEFAULT_TIMEZONE)
            .expect("the bundled time zone database has Europe/Prague"),
        Some(name) => TimeZone::get(&name.value).unwrap_or_else(|_| {
            ctx.error(
                name.span,
                format!("unknown time zone \"{}\"", name.value),
                Some("use an IANA name such as \"Europe/Prague\"".into()),
            );
            TimeZone::UTC
        }),
    };
    let opens = instant(ctx, root, "opens", &tz, Edge::StartOfDay);
    let closes = instant(ctx, root, "closes", &tz, Edge::EndOfDay);
    if let (Some(o), Some((c, span))) = (&opens, &closes)
        && c <= &o.0
    {
        ctx.error(
            span.clone(),
            "the survey closes before it opens",
            Some("`closes` must be after `opens`".into()),
        );
    }
    let quota = root.count(ctx, "quota", "100").and_then(|q| {
        if q.value == 0 {
            ctx.error(
                q.span,
                "`quota` must be at least 1",
                Some("remove it to accept any number of responses".into()),
            );
            None
        } else {
            Some(q.value as u64)
        }
    });
    (
        Schedule {
            opens: opens.map(|o| o.0),
            closes: closes.map(|c| c.0),
            quota,
        },
        tz,
    )
}

fn instant(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    key: &str,
    tz: &TimeZone,
    edge: Edge,
) -> Option<(OffsetDateTime, std::ops::Range<usize>)> {
    let v = t.get(key)?;
    let dt: Option<Datetime> = match v.get_ref() {
        DeValue::Datetime(dt) => Some(*dt),
        DeValue::String(s) => s.parse().ok(),
        _ => None,
    };
    let converted = dt.and_then(|dt| to_instant(dt, tz, edge));
    match converted {
        Some(at) => Some((at, v.span())),
        None => {
            ctx.error(
                v.span(),
                format!(
                    "`{key}` must be a date or a date and time, found {}",
                    describe(v.get_ref())
                ),
                Some(format!(
                    "for example: {key} = 2024-01-16 or {key} = 2024-01-16T08:00:00+01:00"
                )),
            );
            None
        }
    }
}

fn to_instant(dt: Datetime, tz: &TimeZone, edge: Edge) -> Option<OffsetDateTime> {
    let d = dt.date?;
    let date = civil::Date::new(
        i16::try_from(d.year).ok()?,
        i8::try_from(d.month).ok()?,
        i8::try_from(d.day).ok()?,
    )
    .ok()?;
    let timestamp = match (dt.time, dt.offset) {
        (None, _) => {
            let day = match edge {
                Edge::StartOfDay => date,
                Edge::EndOfDay => date.tomorrow().ok()?,
            };
            day.to_zoned(tz.clone()).ok()?.timestamp()
        }
        (Some(t), offset) => {
            let time = civil::Time::new(
                i8::try_from(t.hour).ok()?,
                i8::try_from(t.minute).ok()?,
                i8::try_from(t.second.unwrap_or(0)).ok()?,
                i32::try_from(t.nanosecond.unwrap_or(0)).ok()?,
            )
            .ok()?;
            let civil = date.to_datetime(time);
            match offset {
                None => civil.to_zoned(tz.clone()).ok()?.timestamp(),
                Some(Offset::Z) => civil.to_zoned(TimeZone::UTC).ok()?.timestamp(),
                Some(Offset::Custom { minutes }) => {
                    let offset = jiff::tz::Offset::from_seconds(i32::from(minutes) * 60).ok()?;
                    civil.to_zoned(TimeZone::fixed(offset)).ok()?.timestamp()
                }
            }
        }
    };
    OffsetDateTime::from_unix_timestamp_nanos(timestamp.as_nanosecond()).ok()
}
