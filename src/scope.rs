//! Which cards a command works on: one deck, the cards with a tag (in one deck or in all),
//! or every deck. The one owner of that question for `study`, `review`, `quiz`, `cards`,
//! `suspend`, `unsuspend` and `forget`, so that `--deck` and `--tag` mean the same
//! everywhere.

use std::collections::BTreeSet;

use crate::deck::{Card, Catalog, Deck, DeckNotFound};

/// The cards asked for: `deck` and `tag` both narrow it; neither is every deck.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CardScope {
    pub deck: Option<String>,
    pub tag: Option<String>,
}

/// Why a scope selects nothing the learner could mean.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ScopeError {
    #[error(transparent)]
    Deck(#[from] DeckNotFound),
    #[error(
        "no card{within} has the tag `{tag}`; {}the tags are: {} (tags are written in the deck files)",
        suggestion.as_ref().map(|s| format!("did you mean `{s}`? ")).unwrap_or_default(),
        if known.is_empty() { "(none)".to_string() } else { known.join(", ") }
    )]
    Tag {
        tag: String,
        within: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
}

/// The cards of a scope, deck by deck in catalog order, each deck's cards in deck order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection<'a> {
    pub decks: Vec<(&'a Deck, Vec<&'a Card>)>,
    /// The deck the scope named (found in any case), if it named one.
    pub named: Option<&'a Deck>,
}

impl<'a> Selection<'a> {
    /// Every selected card with its deck.
    pub(crate) fn cards(&self) -> impl Iterator<Item = (&'a Deck, &'a Card)> + '_ {
        self.decks
            .iter()
            .flat_map(|(deck, cards)| cards.iter().map(move |card| (*deck, *card)))
    }

    /// The decks that have a selected card.
    pub(crate) fn deck_list(&self) -> Vec<&'a Deck> {
        self.decks.iter().map(|(deck, _)| *deck).collect()
    }
}

impl CardScope {
    /// Every deck, or none of them named: the whole catalog.
    pub(crate) fn is_everything(&self) -> bool {
        self.deck.is_none() && self.tag.is_none()
    }

    /// The selected cards. An unknown deck, or a tag no card in scope has, is an error
    /// naming the closest one (tags compare without regard to case).
    pub(crate) fn select<'a>(&self, catalog: &'a Catalog) -> Result<Selection<'a>, ScopeError> {
        let named = self
            .deck
            .as_ref()
            .map(|name| catalog.find(name))
            .transpose()?;
        let decks: Vec<&'a Deck> = match named {
            Some(deck) => vec![deck],
            None => catalog.decks.iter().collect(),
        };
        let has_tag = |card: &Card| match &self.tag {
            Some(tag) => card.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            None => true,
        };
        let selection = Selection {
            decks: decks
                .iter()
                .map(|deck| (*deck, deck.cards.iter().filter(|c| has_tag(c)).collect()))
                .filter(|(_, cards): &(&Deck, Vec<&Card>)| !cards.is_empty() || self.tag.is_none())
                .collect(),
            named,
        };
        match &self.tag {
            Some(tag) if selection.decks.is_empty() => Err(unknown_tag(tag, &decks, &self.deck)),
            _ => Ok(selection),
        }
    }
}

fn unknown_tag(tag: &str, decks: &[&Deck], deck: &Option<String>) -> ScopeError {
    let known: BTreeSet<&str> = decks
        .iter()
        .flat_map(|deck| deck.cards.iter())
        .flat_map(|card| card.tags.iter().map(String::as_str))
        .collect();
    let known: Vec<&str> = known.into_iter().collect();
    ScopeError::Tag {
        tag: crate::text::visible_inline(tag).into_owned(),
        within: deck
            .as_ref()
            .map(|name| format!(" of deck `{name}`"))
            .unwrap_or_default(),
        suggestion: crate::text::closest(tag, &known).map(str::to_string),
        known: known.into_iter().map(str::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let files = crate::deck::builtin_files();
        crate::deck::load_catalog(files, &crate::deck::DeckCache::disabled()).unwrap()
    }

    #[test]
    fn a_tag_selects_across_decks_and_a_deck_narrows_it() {
        let catalog = catalog();
        let all = CardScope::default().select(&catalog).unwrap();
        assert_eq!(all.cards().count(), catalog.card_count());
        let tag = CardScope {
            deck: None,
            tag: Some("Key-Term".to_string()),
        };
        let tagged = tag.select(&catalog).unwrap();
        assert!(tagged.decks.len() > 1);
        assert!(
            tagged
                .cards()
                .all(|(_, card)| card.tags.iter().any(|t| t == "key-term"))
        );
        let error = CardScope {
            deck: None,
            tag: Some("key-trem".to_string()),
        }
        .select(&catalog)
        .unwrap_err();
        assert!(error.to_string().contains("did you mean `key-term`?"));
    }
}
