//! Evaluation by people after a programme (Kirkpatrick levels 1 and 3), beside the citizens'
//! signal: what the participants say of it (reaction, 1–4) and whether their supervisors saw
//! a change at work (behaviour, 1–4). A handful of ratings says little, so a verdict needs at
//! least three, or every participant when fewer took part.
use serde::Serialize;

/// Ratings a verdict needs (fewer when fewer took part).
pub const MIN_RATINGS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PeopleEvaluation {
    pub participants: usize,
    /// Participants who gave their reflection (level 1).
    pub reflections: usize,
    /// Mean reaction, 1 (not useful) – 4 (very useful).
    pub reaction_mean: Option<f64>,
    /// Participants their supervisor rated (level 3).
    pub ratings: usize,
    /// Mean behaviour rating, 1 (no change) – 4 (clear change at work).
    pub behaviour_mean: Option<f64>,
    /// Rated 3 or 4: a change seen at work.
    pub changed: usize,
    /// `changed` (at least half the rated changed), `little_change`, or `insufficient_data`.
    pub verdict: &'static str,
}

fn mean(v: &[i32]) -> Option<f64> {
    (!v.is_empty()).then(|| f64::from(v.iter().sum::<i32>()) / v.len() as f64)
}

/// Sums up (reaction, behaviour) per participant.
pub fn summarise(rows: &[(Option<i32>, Option<i32>)]) -> PeopleEvaluation {
    let reactions: Vec<i32> = rows.iter().filter_map(|r| r.0).collect();
    let behaviours: Vec<i32> = rows.iter().filter_map(|r| r.1).collect();
    let changed = behaviours.iter().filter(|b| **b >= 3).count();
    let needed = MIN_RATINGS.min(rows.len()).max(1);
    let verdict = if behaviours.len() < needed {
        "insufficient_data"
    } else if changed * 2 >= behaviours.len() {
        "changed"
    } else {
        "little_change"
    };
    PeopleEvaluation {
        participants: rows.len(),
        reflections: reactions.len(),
        reaction_mean: mean(&reactions),
        ratings: behaviours.len(),
        behaviour_mean: mean(&behaviours),
        changed,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_participants_three_rated_two_changed() {
        // Reactions 4, 3, 3 → 10/3; behaviours 4, 3, 1 → 8/3, two of three changed.
        let e = summarise(&[
            (Some(4), Some(4)),
            (Some(3), Some(3)),
            (Some(3), None),
            (None, Some(1)),
            (None, None),
        ]);
        assert_eq!((e.participants, e.reflections, e.ratings), (5, 3, 3));
        assert!((e.reaction_mean.unwrap() - 10.0 / 3.0).abs() < 1e-12);
        assert!((e.behaviour_mean.unwrap() - 8.0 / 3.0).abs() < 1e-12);
        assert_eq!((e.changed, e.verdict), (2, "changed"));
    }

    #[test]
    fn too_few_ratings_say_nothing_and_a_minority_is_little_change() {
        let e = summarise(&[
            (Some(4), Some(4)),
            (None, Some(4)),
            (None, None),
            (None, None),
        ]);
        assert_eq!(e.verdict, "insufficient_data");
        // Two people took part, both rated: enough for them.
        let e = summarise(&[(None, Some(2)), (None, Some(3))]);
        assert_eq!(e.verdict, "changed");
        let e = summarise(&[(None, Some(1)), (None, Some(2)), (None, Some(3))]);
        assert_eq!((e.changed, e.verdict), (1, "little_change"));
        let e = summarise(&[]);
        assert_eq!((e.participants, e.verdict), (0, "insufficient_data"));
        assert_eq!(e.reaction_mean, None);
    }
}
