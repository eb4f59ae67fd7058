//! Arbitrary bytes and arbitrary YAML fed to the deck loader never panic: the loader either
//! accepts the deck or reports problems.

use super::{DeckOrigin, parse_deck};
use proptest::prelude::*;

fn yaml_value() -> impl Strategy<Value = serde_yaml::Value> {
    let leaf = prop_oneof![
        Just(serde_yaml::Value::Null),
        any::<bool>().prop_map(serde_yaml::Value::Bool),
        any::<i64>().prop_map(|n| serde_yaml::Value::Number(n.into())),
        "[a-z{}|: -]{0,12}".prop_map(serde_yaml::Value::String),
        prop_oneof![
            Just("id"),
            Just("type"),
            Just("flip"),
            Just("choice"),
            Just("multi"),
            Just("truefalse"),
            Just("typed"),
            Just("order"),
            Just("cloze"),
            Just("cards"),
            Just("title"),
            Just("answer"),
            Just("{{x}}")
        ]
        .prop_map(|s| serde_yaml::Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_yaml::Value::Sequence),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("id"),
                        Just("type"),
                        Just("front"),
                        Just("back"),
                        Just("question"),
                        Just("answer"),
                        Just("answers"),
                        Just("distractors"),
                        Just("correct"),
                        Just("wrong"),
                        Just("items"),
                        Just("text"),
                        Just("statement"),
                        Just("explanation"),
                        Just("source"),
                        Just("note"),
                        Just("tags"),
                        Just("cards"),
                        Just("title"),
                        Just("description"),
                        Just("x")
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|pairs| {
                serde_yaml::Value::Mapping(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (serde_yaml::Value::String(k.to_string()), v))
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_deck("fuzz", "fuzz.yaml", DeckOrigin::Builtin, &bytes);
    }

    #[test]
    fn arbitrary_yaml_values_never_panic(value in yaml_value()) {
        let text = serde_yaml::to_string(&value).unwrap();
        let _ = parse_deck("fuzz", "fuzz.yaml", DeckOrigin::Builtin, text.as_bytes());
    }

    #[test]
    fn arbitrary_text_lines_never_panic(lines in prop::collection::vec("[ a-z:{}\\[\\]|#&*!-]{0,20}", 0..20)) {
        let text = lines.join("\n");
        let _ = parse_deck("fuzz", "fuzz.yaml", DeckOrigin::Builtin, text.as_bytes());
    }
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in 'b'..='j' {
        text.push_str(&format!("{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"));
        previous = name;
    }
    let errors = parse_deck(
        "laughs",
        "laughs.yaml",
        DeckOrigin::Builtin,
        text.as_bytes(),
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let errors = parse_deck("deep", "deep.yaml", DeckOrigin::Builtin, text.as_bytes()).unwrap_err();
    assert!(
        errors[0].to_string().contains("recursion limit"),
        "{errors:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The cache checks its packed ids in one pass; it must agree with the id rule one id
    /// at a time, or a damaged entry could serve an id the loader refuses.
    #[test]
    fn packed_ids_are_kebab_case_exactly_when_each_id_is(
        ids in prop::collection::vec("[a-z0-9-]{0,6}|[a-zA-Z_ .-]{0,3}", 0..8)
    ) {
        let packed: super::model::Ids = ids.iter().map(String::as_str).collect();
        prop_assert_eq!(
            packed.all_kebab_case(),
            ids.iter().all(|id| super::is_kebab_case(id)),
            "{:?}", ids
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The cache reads ids and their ends from an entry that may be damaged: ends that do
    /// not rise to the text's end are refused, never a panic, and ids served are exactly
    /// the kebab-case ones.
    #[test]
    fn packed_ids_with_any_ends_are_refused_unless_sound(
        text in "[a-z0-9-]{0,12}|[a-zA-Z_ .é-]{0,6}",
        ends in prop::collection::vec(0u32..16, 0..6)
    ) {
        let expected = ends.last().map_or(text.is_empty(), |&end| end as usize == text.len())
            && ends.iter().zip(std::iter::once(&0).chain(&ends)).all(|(end, start)| end > start)
            && (0..ends.len()).all(|n| {
                let start = if n == 0 { 0 } else { ends[n - 1] as usize };
                text.get(start..ends[n] as usize).is_some_and(super::is_kebab_case)
            });
        let ids = super::model::Ids::of_kebab_case(text.clone(), ends.clone());
        prop_assert_eq!(ids.is_some(), expected, "{:?} {:?}", text, ends);
    }
}
