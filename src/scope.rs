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

/// Where a selected card comes in its selection's order: its deck's place in the selection,
/// then its own place in the deck.
pub(crate) type Rank = (usize, usize);

/// The cards of a scope, deck by deck in catalog order: each deck with the places of its
/// selected cards, in deck order (card bodies are read only when a tag asks for them).
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection<'a> {
    pub decks: Vec<(&'a Deck, Vec<usize>)>,
    /// The deck the scope named (found in any case), if it named one.
    pub named: Option<&'a Deck>,
}

impl<'a> Selection<'a> {
    /// The whole of one deck.
    #[cfg(test)]
    pub(crate) fn whole(deck: &'a Deck) -> Selection<'a> {
        Selection {
            decks: vec![(deck, (0..deck.cards.len()).collect())],
            named: Some(deck),
        }
    }

    /// Every selected card with its deck (reading its body).
    pub(crate) fn cards(&self) -> impl Iterator<Item = (&'a Deck, &'a Card)> + '_ {
        self.decks.iter().flat_map(|(deck, places)| {
            places
                .iter()
                .filter_map(move |&index| deck.cards.get(index).map(|card| (*deck, card)))
        })
    }

    /// The place and id of each selected card of `deck`, without reading a body.
    pub(crate) fn ids_of(&self, deck: &'a Deck) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        let places = self
            .decks
            .iter()
            .find(|(other, _)| std::ptr::eq(*other, deck))
            .map_or(&[][..], |(_, places)| places.as_slice());
        deck.cards
            .ids()
            .enumerate()
            .filter(move |(index, _)| places.binary_search(index).is_ok())
    }

    /// Every selected card's deck, place and id, without reading a body.
    pub(crate) fn ids(&self) -> impl Iterator<Item = (&'a Deck, usize, &'a str)> + '_ {
        self.decks
            .iter()
            .flat_map(move |(deck, _)| self.ids_of(deck).map(move |(index, id)| (*deck, index, id)))
    }

    /// The selected card with this id: its rank in the selection's order (its deck's place
    /// in the selection, its own in the deck), its deck and place, found by id in `catalog`
    /// (the one selected from) without a walk over every card.
    pub(crate) fn find(&self, catalog: &'a Catalog, id: &str) -> Option<(Rank, &'a Deck, usize)> {
        let (deck, index) = catalog.locate(id)?;
        let order = (self.decks.iter()).position(|(selected, _)| std::ptr::eq(*selected, deck))?;
        self.decks[order].1.binary_search(&index).ok()?;
        Some(((order, index), deck, index))
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
        // Only a tag needs the cards' bodies.
        let places = |deck: &Deck| -> Vec<usize> {
            match &self.tag {
                Some(tag) => deck
                    .cards
                    .iter()
                    .enumerate()
                    .filter(|(_, card)| card.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
                    .map(|(index, _)| index)
                    .collect(),
                None => (0..deck.cards.len()).collect(),
            }
        };
        let selection = Selection {
            decks: decks
                .iter()
                .map(|deck| (*deck, places(deck)))
                .filter(|(_, places)| !places.is_empty() || self.tag.is_none())
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
