using System.Globalization;
using System.Net;
using System.Text;

namespace Rsmi.Plots.Report;

/// <summary>One estimate in a report table: rsmi's value with its error bar next to the exact and the paper's values.</summary>
/// <param name="Quantity">What is estimated, e.g. "T_c".</param>
/// <param name="Value">rsmi's estimate.</param>
/// <param name="Error">Its one-sigma error bar.</param>
/// <param name="Exact">The exact value, if known.</param>
/// <param name="Paper">The value reported by Koch-Janusz &amp; Ringel (2018), as text (e.g. "1.0 ± 0.15").</param>
/// <param name="Method">How rsmi obtained it.</param>
public sealed record ReportEstimate(string Quantity, double Value, double Error, double? Exact, string? Paper, string Method)
{
    /// <summary>|value − exact| in units of the error bar (NaN without an exact value or error).</summary>
    public double Deviation => Exact is null || !(Error > 0) ? double.NaN : Math.Abs(Value - Exact.Value) / Error;
}

/// <summary>A figure embedded in the report (PNG bytes, inlined as base64).</summary>
public sealed record ReportFigure(string Title, string Caption, byte[] Png, string? SvgFileName = null);

/// <summary>A table of text cells with a caption and a header row.</summary>
/// <param name="Caption">One line above the table.</param>
/// <param name="Header">Column headings.</param>
/// <param name="Rows">Rows of cells (as many as the header).</param>
public sealed record ReportTable(string Caption, string[] Header, IReadOnlyList<string[]> Rows);

/// <summary>A section of the report: text, figures and estimate tables.</summary>
public sealed class ReportSection
{
    /// <summary>Heading.</summary>
    public required string Title { get; init; }
    /// <summary>Paragraphs of plain text (HTML-escaped on output).</summary>
    public List<string> Paragraphs { get; } = [];
    /// <summary>Figures.</summary>
    public List<ReportFigure> Figures { get; } = [];
    /// <summary>Estimates table (omitted when empty).</summary>
    public List<ReportEstimate> Estimates { get; } = [];
    /// <summary>Free-form key/value table (omitted when empty).</summary>
    public List<(string Key, string Value)> Facts { get; } = [];
    /// <summary>Further tables, after the facts.</summary>
    public List<ReportTable> Tables { get; } = [];
}

/// <summary>
/// A single self-contained HTML page (figures embedded, no external resources) summarising an rsmi study.
/// </summary>
public sealed class HtmlReport
{
    /// <summary>Page title.</summary>
    public required string Title { get; init; }
    /// <summary>Subtitle (e.g. the run directory and date).</summary>
    public string? Subtitle { get; init; }
    /// <summary>Sections in order.</summary>
    public List<ReportSection> Sections { get; } = [];

    /// <summary>Renders the page.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>").Append(Esc(Title)).Append("</title><style>").Append(Css).Append("</style></head><body>\n");
        sb.Append("<header><h1>").Append(Esc(Title)).Append("</h1>");
        if (Subtitle is not null) sb.Append("<p class=\"sub\">").Append(Esc(Subtitle)).Append("</p>");
        sb.Append("<nav>");
        for (int i = 0; i < Sections.Count; i++) sb.Append($"<a href=\"#s{i}\">").Append(Esc(Sections[i].Title)).Append("</a>");
        sb.Append("</nav></header>\n<main>\n");
        for (int i = 0; i < Sections.Count; i++)
        {
            var s = Sections[i];
            sb.Append($"<section id=\"s{i}\"><h2>").Append(Esc(s.Title)).Append("</h2>\n");
            foreach (var p in s.Paragraphs) sb.Append("<p>").Append(Esc(p)).Append("</p>\n");
            if (s.Estimates.Count > 0)
            {
                sb.Append("<table class=\"est\"><thead><tr><th>quantity</th><th>rsmi</th><th>exact</th><th>|Δ|/σ</th><th>paper (2018)</th><th>method</th></tr></thead><tbody>\n");
                foreach (var e in s.Estimates)
                {
                    double dev = e.Deviation;
                    string cls = double.IsNaN(dev) ? "" : dev <= 2 ? " class=\"ok\"" : dev <= 4 ? " class=\"warn\"" : " class=\"bad\"";
                    sb.Append("<tr><td>").Append(Esc(e.Quantity)).Append("</td><td>").Append(Esc(FormatWithError(e.Value, e.Error)))
                      .Append("</td><td>").Append(e.Exact is null ? "—" : Esc(F(e.Exact.Value, 6)))
                      .Append($"</td><td{cls}>").Append(double.IsNaN(dev) ? "—" : Esc(F(dev, 1)))
                      .Append("</td><td>").Append(Esc(e.Paper ?? "—")).Append("</td><td>").Append(Esc(e.Method)).Append("</td></tr>\n");
                }
                sb.Append("</tbody></table>\n");
            }
            if (s.Facts.Count > 0)
            {
                sb.Append("<table class=\"facts\"><tbody>\n");
                foreach (var (k, v) in s.Facts) sb.Append("<tr><th>").Append(Esc(k)).Append("</th><td>").Append(Esc(v)).Append("</td></tr>\n");
                sb.Append("</tbody></table>\n");
            }
            foreach (var t in s.Tables)
            {
                sb.Append("<p class=\"cap\">").Append(Esc(t.Caption)).Append("</p><table class=\"grid\"><thead><tr>");
                foreach (var h in t.Header) sb.Append("<th>").Append(Esc(h)).Append("</th>");
                sb.Append("</tr></thead><tbody>\n");
                foreach (var row in t.Rows)
                {
                    sb.Append("<tr>");
                    foreach (var cell in row) sb.Append("<td>").Append(Esc(cell)).Append("</td>");
                    sb.Append("</tr>\n");
                }
                sb.Append("</tbody></table>\n");
            }
            if (s.Figures.Count > 0)
            {
                sb.Append("<div class=\"figs\">\n");
                foreach (var f in s.Figures)
                {
                    sb.Append("<figure><img alt=\"").Append(Esc(f.Title)).Append("\" src=\"data:image/png;base64,")
                      .Append(Convert.ToBase64String(f.Png)).Append("\"><figcaption><b>").Append(Esc(f.Title)).Append(".</b> ")
                      .Append(Esc(f.Caption));
                    if (f.SvgFileName is not null) sb.Append(" (vector: <code>").Append(Esc(f.SvgFileName)).Append("</code>)");
                    sb.Append("</figcaption></figure>\n");
                }
                sb.Append("</div>\n");
            }
            sb.Append("</section>\n");
        }
        sb.Append("</main><footer>Generated by rsmi. Reference: M. Koch-Janusz and Z. Ringel, Nature Physics 14, 578 (2018).</footer>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>"1.2345(67)"-style value ± error with a sensible number of digits.</summary>
    public static string FormatWithError(double value, double error)
    {
        if (!double.IsFinite(value)) return "n/a";
        if (!(error > 0) || !double.IsFinite(error)) return F(value, 5);
        int digits = Math.Clamp(1 - (int)Math.Floor(Math.Log10(error)), 0, 10);
        return $"{value.ToString("F" + digits, CultureInfo.InvariantCulture)} ± {error.ToString("F" + digits, CultureInfo.InvariantCulture)}";
    }

    private static string F(double v, int d) => v.ToString("F" + d, CultureInfo.InvariantCulture);
    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;color:#fff;padding:18px 32px}header h1{margin:0;font-size:24px}
        .sub{margin:4px 0 10px;color:#b9c1d0}nav a{color:#9cc3ff;margin-right:18px;text-decoration:none;font-size:14px}
        main{max-width:1180px;margin:0 auto;padding:10px 24px 40px}
        section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:14px 24px;margin:18px 0}
        h2{font-size:19px;border-bottom:1px solid #e3e6eb;padding-bottom:6px}
        table{border-collapse:collapse;margin:10px 0;font-size:14px}td,th{padding:5px 12px;border-bottom:1px solid #eceef2;text-align:left}
        table.est th{background:#f0f2f5}td.ok{color:#137333;font-weight:bold}td.warn{color:#a56400;font-weight:bold}td.bad{color:#b3261e;font-weight:bold}
        table.facts th{font-weight:normal;color:#5a6372}table.grid th{background:#f0f2f5}.cap{font-size:14px;color:#4a5261;margin-bottom:0}
        .figs{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;flex:1 1 420px;max-width:560px}
        figure img{width:100%;border:1px solid #e3e6eb;border-radius:4px}figcaption{font-size:13px;color:#4a5261;margin-top:4px}
        footer{text-align:center;color:#7a8290;font-size:12px;padding:20px}code{font-size:12px}
        """;
}
