//! `ApiJson<T>`: a JSON body extractor whose refusals name the field at fault
//! (`items[2].rating`) and never reach a handler half-parsed.

use crate::error::ApiError;
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::{StreamExt, future::LocalBoxFuture};
use serde::de::DeserializeOwned;

/// Largest JSON body accepted; batches of offline records are the largest legitimate bodies.
pub const JSON_LIMIT: usize = 256 * 1024;

/// The parsed body, or why it could not be parsed. Extraction itself never fails: actix polls
/// a handler's extractors together and answers with the first error, so a bad body would
/// otherwise be reported (400) before the caller's identity was checked (401/403). Handlers
/// call [`ApiJson::into_inner`] once the identity extractors have run.
pub struct ApiJson<T>(Result<T, ApiError>);

impl<T> ApiJson<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move { Ok(ApiJson(read(is_json, declared_len, &mut payload).await)) })
    }
}

async fn read<T: DeserializeOwned>(
    is_json: bool,
    declared_len: Option<usize>,
    payload: &mut Payload,
) -> Result<T, ApiError> {
    {
        {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json",
                });
            }
            if declared_len.is_some_and(|n| n > JSON_LIMIT) {
                return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::MalformedBody(e.to_string()))?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body)
        }
    }
}

/// Deserialises `bytes`, turning serde's error into one that names the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(ObjectsOnly(&mut de)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = strip_position(&inner.to_string());
                let field = if path == "." {
                    backticked(&message).unwrap_or_else(|| "body".into())
                } else {
                    match backticked(&message) {
                        Some(name) if message.starts_with("missing field") => {
                            format!("{path}.{name}")
                        }
                        _ => path,
                    }
                };
                ApiError::invalid(field, message)
            }
            _ => ApiError::MalformedBody(strip_position(&inner.to_string())),
        }
    })?;
    // Anything after the value (`{} {}`) is not one JSON document.
    de.end()
        .map_err(|e| ApiError::MalformedBody(strip_position(&e.to_string())))?;
    Ok(value)
}

/// serde names missing and unknown fields in backticks: "missing field `email`".
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query-string parameters, judged only when the handler asks (after the identity
/// extractors), for the same reason as [`ApiJson`].
pub struct ApiQuery<T>(Result<T, ApiError>);

impl<T> ApiQuery<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(ApiQuery(parse_query(req.query_string()))))
    }
}

/// Reads a query string, naming the parameter at fault (`participant_id`) as a body's field
/// is named, rather than serde's "Query deserialize error".
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let field = match backticked(&message) {
            Some(name) if path == "." || message.starts_with("missing field") => name,
            _ if path == "." => "query".to_owned(),
            _ => path,
        };
        ApiError::invalid(field, message)
    })
}

use objects_only::ObjectsOnly;

/// serde's derived `Deserialize` reads a struct from a JSON array too, taking the fields by
/// position, so `{"accessibility": [true, false]}` or a whole body `[null, null]` would pass.
/// Every object this API takes is documented as a JSON object, so [`ObjectsOnly`] wraps the
/// JSON deserializer and refuses a sequence wherever a struct is asked for, at any depth
/// (inside `Option`, `Vec`, maps and enum variants alike). Everything else passes through
/// untouched, so `serde_path_to_error` still names the field.
mod objects_only {
    use serde::de::{
        self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
        VariantAccess, Visitor,
    };
    use std::fmt;

    pub struct ObjectsOnly<D>(pub D);

    macro_rules! forward {
        ($($method:ident)*) => {$(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(Wrap::any(visitor))
            }
        )*};
    }

    impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
        type Error = D::Error;

        forward! {
            deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
            deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
            deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
            deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
            deserialize_option deserialize_unit deserialize_seq deserialize_map
            deserialize_identifier deserialize_ignored_any
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.0.deserialize_unit_struct(name, Wrap::any(visitor))
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.0.deserialize_newtype_struct(name, Wrap::any(visitor))
        }

        fn deserialize_tuple<V: Visitor<'de>>(
            self,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.0.deserialize_tuple(len, Wrap::any(visitor))
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.0
                .deserialize_tuple_struct(name, len, Wrap::any(visitor))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.0
                .deserialize_struct(name, fields, Wrap::object(visitor))
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.0.deserialize_enum(name, variants, Wrap::any(visitor))
        }

        fn is_human_readable(&self) -> bool {
            self.0.is_human_readable()
        }
    }

    /// A visitor that hands every nested value back through [`ObjectsOnly`], and, when it
    /// stands for a struct, refuses a sequence.
    struct Wrap<V> {
        inner: V,
        object: bool,
    }

    impl<V> Wrap<V> {
        fn any(inner: V) -> Self {
            Wrap {
                inner,
                object: false,
            }
        }

        fn object(inner: V) -> Self {
            Wrap {
                inner,
                object: true,
            }
        }
    }

    macro_rules! visit {
        ($($method:ident($ty:ty))*) => {$(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.inner.$method(v)
            }
        )*};
    }

    impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
        type Value = V::Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            self.inner.expecting(f)
        }

        visit! {
            visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
            visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
            visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char)
            visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
            visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
        }

        fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
            self.inner.visit_none()
        }

        fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
            self.inner.visit_unit()
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
            self.inner.visit_some(ObjectsOnly(d))
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
            self.inner.visit_newtype_struct(ObjectsOnly(d))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
            if self.object {
                return Err(de::Error::invalid_type(Unexpected::Seq, &self));
            }
            self.inner.visit_seq(Seq(seq))
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
            self.inner.visit_map(Map(map))
        }

        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
            self.inner.visit_enum(Enum(data))
        }
    }

    struct Seed<S>(S);

    impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
        type Value = S::Value;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
            self.0.deserialize(ObjectsOnly(d))
        }
    }

    struct Seq<A>(A);

    impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<A> {
        type Error = A::Error;

        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, A::Error> {
            self.0.next_element_seed(Seed(seed))
        }

        fn size_hint(&self) -> Option<usize> {
            self.0.size_hint()
        }
    }

    struct Map<A>(A);

    impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<A> {
        type Error = A::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, A::Error> {
            self.0.next_key_seed(Seed(seed))
        }

        fn next_value_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<T::Value, A::Error> {
            self.0.next_value_seed(Seed(seed))
        }

        fn size_hint(&self) -> Option<usize> {
            self.0.size_hint()
        }
    }

    struct Enum<A>(A);

    impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<A> {
        type Error = A::Error;
        type Variant = Variant<A::Variant>;

        fn variant_seed<S: DeserializeSeed<'de>>(
            self,
            seed: S,
        ) -> Result<(S::Value, Self::Variant), A::Error> {
            let (value, variant) = self.0.variant_seed(Seed(seed))?;
            Ok((value, Variant(variant)))
        }
    }

    struct Variant<A>(A);

    impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<A> {
        type Error = A::Error;

        fn unit_variant(self) -> Result<(), A::Error> {
            self.0.unit_variant()
        }

        fn newtype_variant_seed<T: DeserializeSeed<'de>>(
            self,
            seed: T,
        ) -> Result<T::Value, A::Error> {
            self.0.newtype_variant_seed(Seed(seed))
        }

        fn tuple_variant<V: Visitor<'de>>(
            self,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, A::Error> {
            self.0.tuple_variant(len, Wrap::any(visitor))
        }

        fn struct_variant<V: Visitor<'de>>(
            self,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, A::Error> {
            self.0.struct_variant(fields, Wrap::object(visitor))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        rating: u8,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    #[serde(deny_unknown_fields)]
    struct Body {
        name: String,
        items: Vec<Item>,
    }

    fn field_of(json: &str) -> Option<String> {
        match parse::<Body>(json.as_bytes()) {
            Err(ApiError::InvalidField { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(field_of(r#"{"items":[]}"#).as_deref(), Some("name"));
    }

    #[test]
    fn a_wrong_type_deep_inside_is_named_by_its_path() {
        assert_eq!(
            field_of(r#"{"name":"a","items":[{"rating":1},{"rating":"x"}]}"#).as_deref(),
            Some("items[1].rating")
        );
    }

    #[test]
    fn a_missing_field_deep_inside_is_named_by_its_path() {
        assert_eq!(
            field_of(r#"{"name":"a","items":[{}]}"#).as_deref(),
            Some("items[0].rating")
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        assert_eq!(
            field_of(r#"{"name":"a","items":[],"admin":true}"#).as_deref(),
            Some("admin")
        );
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Nested {
        inner: Option<Item>,
        #[serde(default)]
        by_name: std::collections::BTreeMap<String, Item>,
        #[serde(default)]
        free: serde_json::Value,
        #[serde(default)]
        ratings: Vec<u8>,
    }

    fn refusal(json: &str) -> Option<(String, String)> {
        match parse::<Nested>(json.as_bytes()) {
            Err(ApiError::InvalidField { field, message }) => Some((field, message)),
            _ => None,
        }
    }

    #[test]
    fn a_whole_body_written_as_an_array_is_refused() {
        let (field, message) = refusal("[null]").unwrap();
        assert_eq!(field, "body");
        assert!(message.contains("expected struct Nested"), "{message}");
        assert_eq!(field_of(r#"  ["a", []]"#).as_deref(), Some("body"));
    }

    #[test]
    fn a_nested_object_written_as_an_array_is_refused_by_its_path() {
        assert_eq!(refusal(r#"{"inner":[1]}"#).unwrap().0, "inner");
        assert_eq!(
            refusal(r#"{"inner":null,"by_name":{"a":{"rating":1},"b":[2]}}"#)
                .unwrap()
                .0,
            "by_name.b"
        );
        assert_eq!(
            field_of(r#"{"name":"a","items":[{"rating":1},[2]]}"#).as_deref(),
            Some("items[1]")
        );
    }

    #[test]
    fn arrays_where_arrays_belong_still_pass() {
        let n =
            parse::<Nested>(br#"{"inner":{"rating":2},"free":[1,[2]],"ratings":[1,2]}"#).unwrap();
        assert_eq!(n.ratings, vec![1, 2]);
        assert!(n.free.is_array());
    }

    #[test]
    fn a_struct_variant_written_as_an_array_is_refused() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Change {
            Move { to: u8 },
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Body {
            change: Change,
        }
        assert!(parse::<Body>(br#"{"change":{"Move":{"to":1}}}"#).is_ok());
        assert!(matches!(
            parse::<Body>(br#"{"change":{"Move":[1]}}"#),
            Err(ApiError::InvalidField { field, .. }) if field == "change.Move"
        ));
    }

    #[test]
    fn anything_after_the_body_is_malformed() {
        assert!(matches!(
            parse::<Body>(br#"{"name":"a","items":[]} {}"#),
            Err(ApiError::MalformedBody(_))
        ));
        assert!(parse::<Body>(b"{\"name\":\"a\",\"items\":[]}\n").is_ok());
    }

    #[test]
    fn a_figure_a_hair_under_its_whole_value_is_not_read_as_it() {
        // The nearest double below 1.0; without serde_json's float_roundtrip it reads as 1.0.
        assert!(parse::<domain::Hundredths>(b"0.9999999999999999").is_err());
        assert!(parse::<domain::Hundredths>(b"5.000000000000001").is_err());
        assert!(parse::<domain::Hundredths>(b"1.00").is_ok());
    }

    #[test]
    fn broken_json_is_malformed_not_a_field_error() {
        assert!(matches!(
            parse::<Body>(b"{\"name\":"),
            Err(ApiError::MalformedBody(_))
        ));
    }
}
