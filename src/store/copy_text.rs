//! Reading what PostgreSQL's `COPY … TO STDOUT` sends in its text format: one row a line,
//! fields split by tabs, `\N` for NULL, and backslash escapes for a backslash and the control
//! characters (<https://www.postgresql.org/docs/current/sql-copy.html>, "Text Format"). The
//! server sends data in chunks that need not end on a line, so a partial line waits for the
//! next chunk.

/// Whole lines out of a stream of chunks.
#[derive(Default)]
pub struct Lines {
    carry: Vec<u8>,
}

impl Lines {
    /// Calls `each` with every line completed by `chunk` (without its newline).
    pub fn push<E>(
        &mut self,
        chunk: &[u8],
        mut each: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rest = chunk;
        while let Some(i) = rest.iter().position(|b| *b == b'\n') {
            if self.carry.is_empty() {
                each(&rest[..i])?;
            } else {
                self.carry.extend_from_slice(&rest[..i]);
                let line = std::mem::take(&mut self.carry);
                each(&line)?;
            }
            rest = &rest[i + 1..];
        }
        self.carry.extend_from_slice(rest);
        Ok(())
    }

    /// Whether a line was left unfinished (the stream was cut).
    pub fn unfinished(&self) -> bool {
        !self.carry.is_empty()
    }
}

/// The fields of one line: `None` for NULL, else the text with its escapes undone.
pub fn fields(line: &[u8]) -> Result<Vec<Option<String>>, String> {
    line.split(|b| *b == b'\t').map(field).collect()
}

fn field(raw: &[u8]) -> Result<Option<String>, String> {
    if raw == b"\\N" {
        return Ok(None);
    }
    if !raw.contains(&b'\\') {
        return String::from_utf8(raw.to_vec())
            .map(Some)
            .map_err(|e| e.to_string());
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&e) = bytes.next() else {
            return Err("a field ends in a lone backslash".into());
        };
        out.push(match e {
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 0x0b,
            // `\\` and any other escaped character stand for themselves. (PostgreSQL writes
            // no octal or hex escapes on output.)
            other => other,
        });
    }
    String::from_utf8(out).map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_across_chunks() {
        let mut l = Lines::default();
        let mut got: Vec<String> = vec![];
        let mut take = |line: &[u8]| {
            got.push(String::from_utf8(line.to_vec()).unwrap());
            Ok::<_, ()>(())
        };
        l.push(b"1\ta\n2\t", &mut take).unwrap();
        assert!(l.unfinished());
        l.push(b"b", &mut take).unwrap();
        l.push(b"c\n3\t\\N\n", &mut take).unwrap();
        assert!(!l.unfinished());
        assert_eq!(got, ["1\ta", "2\tbc", "3\t\\N"]);
    }

    #[test]
    fn escapes_and_null() {
        // What PostgreSQL writes for: 7, NULL, a tab, a newline and a backslash inside JSON
        // text, an empty string, and UTF-8.
        let line = b"7\t\\N\t{\"k\":\"a\\tb\\nc \\\\\\\\ d\"}\t\tK\xc3\xa9";
        assert_eq!(
            fields(line).unwrap(),
            [
                Some("7".to_string()),
                None,
                Some("{\"k\":\"a\tb\nc \\\\ d\"}".to_string()),
                Some(String::new()),
                Some("Ké".to_string()),
            ]
        );
        assert!(fields(b"a\\").is_err());
        assert!(fields(b"\xff").is_err());
    }
}
