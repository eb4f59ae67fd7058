//! The ids the program passes around: which card, which deck, which review.
//!
//! Each is a newtype with its conversions written once here (to and from SQLite, JSON, and
//! text), so a deck name cannot be handed where a card id is expected, and "no deck" is an
//! `Option<DeckName>` rather than an empty string. Card ids and deck names borrow as `str`,
//! so maps keyed by them can still be looked up with a plain `&str`.

use std::borrow::Borrow;
use std::fmt;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

/// A text id: the same derives and impls for card ids and deck names.
macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(text: impl Into<String>) -> Self {
                Self(text.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            /// Pads like `str`, so tables can align ids with `{:<12}`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self(text.to_string())
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.0.as_bytes())))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                String::column_result(value).map(Self)
            }
        }
    };
}

text_id! {
    /// A card's id: stable, kebab-case, unique across all decks. Progress is keyed by it.
    CardId
}

text_id! {
    /// A deck's name: the file stem of its YAML file, as typed on the command line.
    DeckName
}

/// A review's row id in the log: what undo and regrade name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReviewId(i64);

impl ReviewId {
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for ReviewId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ToSql for ReviewId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for ReviewId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Integer(id) => Ok(Self(id)),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn card_ids_are_found_in_maps_by_plain_text() {
        let mut due = HashMap::new();
        due.insert(CardId::from("hsct-what"), 3);
        assert_eq!(due.get("hsct-what"), Some(&3));
        assert_eq!(CardId::from("hsct-what"), "hsct-what");
        assert_eq!(format!("[{:<6}]", DeckName::from("hsct")), "[hsct  ]");
    }

    #[test]
    fn ids_round_trip_through_sqlite_and_json_as_plain_values() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        let (card, review): (CardId, ReviewId) = db
            .query_row(
                "SELECT ?1, ?2",
                (CardId::from("a-card"), ReviewId::new(7)),
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!((card.as_str(), review.get()), ("a-card", 7));
        assert_eq!(
            serde_json::to_string(&DeckName::from("hsct")).unwrap(),
            "\"hsct\""
        );
        assert_eq!(serde_json::to_string(&ReviewId::new(7)).unwrap(), "7");
    }

    #[test]
    fn a_review_id_stored_as_text_is_an_error_not_a_guess() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        let read: rusqlite::Result<ReviewId> = db.query_row("SELECT 'seven'", [], |row| row.get(0));
        assert!(read.is_err());
    }
}
