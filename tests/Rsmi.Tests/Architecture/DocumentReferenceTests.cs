using System.Text;
using System.Text.RegularExpressions;

namespace Rsmi.Tests.Architecture;

/// <summary>
/// Comments send the reader only to documents that are in the repository: every <c>*.md</c> file a comment in
/// src/, tests/ or bench/ names must exist under docs/ or at the repository root (README.md, BENCHMARKS.md), a
/// section cited after it (a quoted heading after a comma, or an anchor after '#') must be a heading of that
/// document, and no comment may point into the workspace outside the repository.
/// </summary>
public class DocumentReferenceTests
{
    /// <summary>The repository root: the first folder above the test assembly that holds Rsmi.slnx.</summary>
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rsmi.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return dir!.FullName;
    }

    [Fact]
    public void EveryDocumentACommentCitesIsInTheRepository()
    {
        string root = RepositoryRoot();
        var files = DocumentReferences.SourceFiles(root).ToList();
        Assert.True(files.Count > 100, $"found only {files.Count} source files under {root}");
        var problems = files.SelectMany(f => DocumentReferences.Problems(root, Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f))).ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} comment(s) cite documents that are not in the repository:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheSectionsCitedExistInTheRepositoryDocuments()
    {
        // The citations the repointed comments rely on; a renamed heading must take its comments along.
        string root = RepositoryRoot();
        foreach (var (document, heading) in new[]
                 {
                     ("docs/algorithm.md", "The chain driver"), ("docs/algorithm.md", "Sampling pitfalls"),
                     ("docs/contract.md", "Exit codes"), ("docs/contract.md", "flow.json"),
                     ("docs/references.md", "2D Ising model, finite torus"), ("docs/learning.md", "Ensembles"),
                 })
            Assert.Contains(heading, DocumentReferences.Headings(Path.Combine(root, document)), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void BadCitationsAreReportedWithFileAndLine()
    {
        string root = RepositoryRoot();
        string source = string.Join("\n",
            "namespace Example;",                                                   // 1
            "/// <summary>The rule (docs/algorithm.md, \"The coarse-graining rule\").</summary>", // 2: fine
            "public static class Example",                                          // 3
            "{",                                                                    // 4
            "    // the derivation is in notes.md §3",                              // 5: not in the repository
            "    // see ../shared/docs/background.md",                              // 6: outside the repository
            "    /* exit codes: docs/contract.md, \"No such heading\" */",           // 7: missing section
            "    // docs/nowhere.md",                                               // 8: missing document
            "    const string Url = \"http://example.org/notes.md\"; // README.md",     // 9: string skipped, README fine
            "    static string S(string[] a) => $\"{string.Join(\", \", a)} // not a comment ../shared\";", // 10: inside a string
            "    // notes in ../shared/notes",                                      // 11: outside the repository
            "    // docs/learning.md, \"Ensembles\"; BENCHMARKS.md; docs/contract.md#exit-codes", // 12: fine
            "    // docs/contract.md,",                                             // 13
            "    // \"Not a heading either\"",                                       // 14: section on the next line
            "    const string Raw = \"\"\"",                                          // 15
            "        // docs/ghost.md inside a raw string",                         // 16: inside a string
            "        \"\"\";",                                                       // 17
            "}");
        var problems = DocumentReferences.Problems(root, "src/Example.cs", source).ToList();
        var lines = problems.Select(p => int.Parse(Regex.Match(p, @"^src/Example\.cs:(\d+):").Groups[1].Value)).ToList();
        Assert.Equal([5, 6, 7, 8, 11, 13], lines);
        Assert.Contains("notes.md", problems[0]);
        Assert.Contains("../shared", problems[1]);
        Assert.Contains("No such heading", problems[2]);
        Assert.Contains("Not a heading either", problems[5]);
    }
}

/// <summary>Finds the comments of C# source text and checks the documents they cite.</summary>
internal static class DocumentReferences
{
    // A path ending in .md: letters, digits, '_', '-', '.', '/' and '\', not part of a longer path or word.
    private static readonly Regex Citation = new(@"(?<![\w./\\-])(?<path>[\w./\\-]*\w\.md)(?!\w)", RegexOptions.CultureInvariant);
    // What may follow a citation: a quoted heading after a comma, an anchor, or a numbered section.
    private static readonly Regex Section = new(@"^(?:\s*,\s*(?:""(?<quoted>[^""]+)""|'(?<quoted>[^']+)')|#(?<anchor>[\w-]+)|\s*(?<numbered>§))", RegexOptions.CultureInvariant);

    /// <summary>Every .cs file under src/, tests/ and bench/, build outputs (bin/, obj/) excluded.</summary>
    public static IEnumerable<string> SourceFiles(string root) =>
        new[] { "src", "tests", "bench" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    /// <summary>The headings of a Markdown document, without the leading #s and without backticks.</summary>
    public static IReadOnlyList<string> Headings(string path) =>
        File.ReadLines(path)
            .Select(l => Regex.Match(l, @"^#{1,6}\s+(.*?)\s*#*\s*$"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Replace("`", ""))
            .ToList();

    /// <summary>GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    public static string Anchor(string heading) =>
        Regex.Replace(heading.ToLowerInvariant(), @"[^\p{L}\p{N}\s_-]", "").Replace(' ', '-');

    /// <summary>One line "FILE:LINE: what is wrong" for every bad citation in the comments of <paramref name="source"/>, in line order.</summary>
    public static IEnumerable<string> Problems(string root, string file, string source)
    {
        var problems = new List<(int Line, string Message)>();
        foreach (var block in CommentBlocks(source))
        {
            string text = block.Text;
            var reported = new List<(int Start, int End)>();
            foreach (Match m in Citation.Matches(text))
            {
                string cited = m.Groups["path"].Value;
                int line = block.LineAt(m.Index);
                string? document = Resolve(root, cited);
                if (document is null)
                {
                    problems.Add((line, $"cites '{cited}', which is not a document of this repository (cite docs/NAME.md, or README.md or BENCHMARKS.md at the root)."));
                    reported.Add((m.Index, m.Index + m.Length));
                    continue;
                }
                var section = Section.Match(text[(m.Index + m.Length)..]);
                if (!section.Success) continue;
                var headings = Headings(document);
                if (section.Groups["numbered"].Success)
                    problems.Add((line, $"cites '{cited}' by a numbered section; cite one of its headings, e.g. {cited}, \"{headings.FirstOrDefault()}\"."));
                else if (section.Groups["quoted"].Success && !headings.Contains(section.Groups["quoted"].Value, StringComparer.OrdinalIgnoreCase))
                    problems.Add((line, $"cites the section \"{section.Groups["quoted"].Value}\" of '{cited}', which has no such heading."));
                else if (section.Groups["anchor"].Success && !headings.Select(Anchor).Contains(section.Groups["anchor"].Value))
                    problems.Add((line, $"cites the anchor #{section.Groups["anchor"].Value} of '{cited}', which has no such heading."));
            }
            foreach (Match m in Regex.Matches(text, @"\.\.[/\\]shared"))
                if (!reported.Any(r => r.Start <= m.Index && m.Index < r.End))
                    problems.Add((block.LineAt(m.Index), "points to '../shared', outside the repository."));
        }
        return problems.OrderBy(p => p.Line).Select(p => $"{file}:{p.Line}: {p.Message}");
    }

    /// <summary>The file a citation names, when it is a document of the repository: docs/… or a file at the root.</summary>
    private static string? Resolve(string root, string cited)
    {
        string path = cited.Replace('\\', '/');
        if (path.StartsWith('/') || path.Split('/').Any(p => p is ".." or ".")) return null;
        int slash = path.LastIndexOf('/');
        if (slash >= 0 && !path.StartsWith("docs/", StringComparison.Ordinal)) return null;
        string full = Path.Combine(root, path);
        return File.Exists(full) ? full : null;
    }

    /// <summary>A run of comment text on consecutive lines, joined by spaces, with the line of every character.</summary>
    private sealed class CommentBlock
    {
        private readonly StringBuilder _text = new();
        private readonly List<(int Offset, int Line)> _lines = [];
        public int LastLine { get; private set; } = -1;
        public string Text => _text.ToString();

        public void Add(int line, string text)
        {
            if (_text.Length > 0) _text.Append(' ');
            _lines.Add((_text.Length, line));
            _text.Append(text);
            LastLine = line;
        }

        public int LineAt(int offset) => _lines.Last(l => l.Offset <= offset).Line;
    }

    /// <summary>
    /// The comments of C# source text, grouped into blocks of consecutive lines. A small lexer skips string and
    /// character literals (regular, verbatim, interpolated with nested holes, raw), so that "//" or "/*" inside a
    /// string is not taken for a comment. The slashes and stars that open a line of a comment are dropped.
    /// </summary>
    private static List<CommentBlock> CommentBlocks(string s)
    {
        var comments = new List<(int Line, string Text)>();
        int i = 0, line = 1;

        void Advance(int n) { for (int k = 0; k < n && i < s.Length; k++, i++) if (s[i] == '\n') line++; }
        char At(int k) => i + k < s.Length ? s[i + k] : '\0';

        void Comment(int start, int end, int firstLine)
        {
            int l = firstLine;
            foreach (string part in s[start..end].Split('\n'))
            {
                comments.Add((l, part.TrimStart().TrimStart('/', '*').Trim()));
                l++;
            }
        }

        // Code until the end of the text or, inside an interpolation hole, until its closing brace.
        void Code(bool hole)
        {
            int depth = 0;
            while (i < s.Length)
            {
                char c = s[i];
                if (c == '/' && At(1) == '/')
                {
                    int start = i + 2, first = line;
                    while (i < s.Length && s[i] != '\n') i++;
                    Comment(start, i, first);
                }
                else if (c == '/' && At(1) == '*')
                {
                    int start = i + 2, first = line;
                    Advance(2);
                    while (i < s.Length && !(s[i] == '*' && At(1) == '/')) Advance(1);
                    Comment(start, Math.Min(i, s.Length), first);
                    Advance(2);
                }
                else if (c == '\'')
                {
                    Advance(1);
                    while (i < s.Length && s[i] != '\'' && s[i] != '\n') Advance(s[i] == '\\' ? 2 : 1);
                    Advance(1);
                }
                else if (c is '"' or '$' or '@' && StringStart(out int dollars, out bool verbatim, out int quotes))
                {
                    if (quotes >= 3) RawString(quotes);
                    else if (verbatim) VerbatimString(dollars > 0);
                    else RegularString(dollars > 0);
                }
                else if (hole && c == '{') { depth++; Advance(1); }
                else if (hole && c == '}') { if (depth == 0) { Advance(1); return; } depth--; Advance(1); }
                else Advance(1);
            }
        }

        // At '"', '$' or '@': whether a string literal starts here; consumes its prefix and opening quotes.
        bool StringStart(out int dollars, out bool verbatim, out int quotes)
        {
            int k = 0;
            dollars = 0; verbatim = false; quotes = 0;
            while (At(k) is '$' or '@') { if (At(k) == '$') dollars++; else verbatim = true; k++; }
            if (At(k) != '"') return false;
            while (At(k + quotes) == '"') quotes++;
            if (verbatim || quotes < 3) quotes = 1; // "" is an empty string and @"" an empty verbatim one, opened by one quote
            Advance(k + quotes);
            return true;
        }

        void RegularString(bool interpolated)
        {
            while (i < s.Length && s[i] != '\n')
            {
                if (s[i] == '\\') Advance(2);
                else if (s[i] == '"') { Advance(1); return; }
                else if (interpolated && s[i] == '{') { if (At(1) == '{') Advance(2); else { Advance(1); Code(hole: true); } }
                else Advance(1);
            }
        }

        void VerbatimString(bool interpolated)
        {
            while (i < s.Length)
            {
                if (s[i] == '"') { if (At(1) == '"') Advance(2); else { Advance(1); return; } }
                else if (interpolated && s[i] == '{') { if (At(1) == '{') Advance(2); else { Advance(1); Code(hole: true); } }
                else Advance(1);
            }
        }

        void RawString(int quotes)
        {
            string close = new('"', quotes);
            while (i < s.Length && string.CompareOrdinal(s, i, close, 0, quotes) != 0) Advance(1);
            Advance(quotes);
        }

        Code(hole: false);

        var blocks = new List<CommentBlock>();
        foreach (var (l, text) in comments)
        {
            if (blocks.Count == 0 || blocks[^1].LastLine != l - 1) blocks.Add(new CommentBlock());
            blocks[^1].Add(l, text);
        }
        return blocks;
    }
}
