//! The rules themselves: day-move tiers, the fast-move window, levels with their re-arm band.

use super::config::SymbolRules;
use super::{Direction, LevelState, Observation, Rule, SymbolState};
use crate::parse::date::wib;
use chrono::NaiveTime;

/// (rule, direction, tier, move in percent, move in value, level)
pub(super) type Fired = (Rule, Direction, Option<f64>, f64, f64, Option<f64>);

pub(super) fn evaluate(
    state: &mut SymbolState,
    rules: &SymbolRules,
    obs: &Observation,
) -> Vec<Fired> {
    let mut fired = Vec::new();
    let today = obs.at.with_timezone(&wib()).date_naive();
    if state.day != Some(today) {
        state.day = Some(today);
        state.up_tiers = 0;
        state.down_tiers = 0;
    }
    let now = obs.at.timestamp_millis();

    // Levels first: the user named them.
    for &level in &rules.levels {
        if !state.levels.iter().any(|l| l.level == level) {
            state.levels.push(LevelState {
                level,
                armed: true,
                side: 0,
                came_from: 0,
            });
        }
    }
    state.levels.retain(|l| rules.levels.contains(&l.level));
    let band = rules.rearm_pct / 100.0;
    for l in &mut state.levels {
        let v = obs.value;
        if l.armed {
            let crossed_up = l.side == -1 && v >= l.level;
            let crossed_down = l.side == 1 && v <= l.level;
            if crossed_up || crossed_down {
                let direction = if crossed_up {
                    Direction::Up
                } else {
                    Direction::Down
                };
                fired.push((
                    Rule::Level,
                    direction,
                    None,
                    obs.change_pct,
                    obs.change,
                    Some(l.level),
                ));
                l.armed = false;
                l.came_from = l.side;
            }
            if v != l.level {
                l.side = if v > l.level { 1 } else { -1 };
            }
        } else {
            let back_below = l.came_from == -1 && v <= l.level * (1.0 - band);
            let back_above = l.came_from == 1 && v >= l.level * (1.0 + band);
            if back_below || back_above {
                l.armed = true;
                l.side = l.came_from;
            }
        }
    }

    if let Some(day) = rules.day_move.filter(|d| d.step_pct > 0.0) {
        let steps = (obs.change_pct.abs() / day.step_pct + 1e-9).floor() as u32;
        let (fired_so_far, direction) = if obs.change_pct > 0.0 {
            (&mut state.up_tiers, Direction::Up)
        } else {
            (&mut state.down_tiers, Direction::Down)
        };
        if steps > *fired_so_far {
            *fired_so_far = steps;
            let tier = (f64::from(steps) * day.step_pct * 1e6).round() / 1e6;
            fired.push((
                Rule::DayMove,
                direction,
                Some(tier),
                obs.change_pct,
                obs.change,
                None,
            ));
        }
    }

    if let Some(fast) = rules
        .fast_move
        .filter(|f| f.threshold_pct > 0.0 && f.window_minutes > 0)
    {
        let window = i64::from(fast.window_minutes) * 60_000;
        state.window.push_back((now, obs.value));
        while state.window.front().is_some_and(|(t, _)| now - t > window) {
            state.window.pop_front();
        }
        let min = state
            .window
            .iter()
            .map(|(_, v)| *v)
            .fold(f64::INFINITY, f64::min);
        let max = state
            .window
            .iter()
            .map(|(_, v)| *v)
            .fold(f64::NEG_INFINITY, f64::max);
        let up_pct = (obs.value - min) / min * 100.0;
        let down_pct = (max - obs.value) / max * 100.0;
        if up_pct + 1e-9 >= fast.threshold_pct && now >= state.quiet_up_until {
            state.quiet_up_until = now + window;
            fired.push((
                Rule::FastMove,
                Direction::Up,
                None,
                up_pct,
                obs.value - min,
                None,
            ));
        } else if down_pct + 1e-9 >= fast.threshold_pct && now >= state.quiet_down_until {
            state.quiet_down_until = now + window;
            fired.push((
                Rule::FastMove,
                Direction::Down,
                None,
                -down_pct,
                obs.value - max,
                None,
            ));
        }
    }
    fired
}

pub(super) fn in_range(t: NaiveTime, from: NaiveTime, to: NaiveTime) -> bool {
    if from <= to {
        t >= from && t < to
    } else {
        t >= from || t < to
    }
}
