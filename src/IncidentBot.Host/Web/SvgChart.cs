using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using IncidentBot.Core.Incidents;
using Microsoft.AspNetCore.Html;

namespace IncidentBot.Host.Web;

/// <summary>
/// Grouped bar charts as inline SVG, drawn on the server: one group per month, one bar per severity, each bar labelled
/// with its severity's number (colour is never the only signal) and titled with its value. The same numbers are in
/// the table beside every chart.
/// </summary>
internal static class SvgChart
{
    private const int Height = 220;
    private const int Top = 24;
    private const int Bottom = 40;
    private const int Left = 48;
    private const int BarWidth = 14;
    private const int GroupGap = 18;

    /// <summary>A bar's height and its optional marker (the p90 tick above a median bar).</summary>
    public readonly record struct Bar(double? Value, double? Marker, string Label);

    public static HtmlString Grouped(string id, string title, string unit, IReadOnlyList<string> months, Func<string, Severity, Bar> bar)
    {
        var severities = Enum.GetValues<Severity>();
        var groupWidth = (severities.Length * BarWidth) + GroupGap;
        var width = Left + (months.Count * groupWidth) + 8;
        var max = months.SelectMany(m => severities.Select(s => bar(m, s))).Select(b => Math.Max(b.Value ?? 0, b.Marker ?? 0)).DefaultIfEmpty(0).Max();
        var scale = max <= 0 ? 1 : max;
        var plot = Height - Top - Bottom;
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        string E(string text) => HtmlEncoder.Default.Encode(text);

        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"{E(id)}\" role=\"img\" aria-labelledby=\"{E(id)}-title\" viewBox=\"0 0 {width} {Height}\" width=\"{width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{E(id)}-title\">{E(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"4\" y=\"14\">{E(N(max))} {E(unit)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left - 4}\" y1=\"{Top + plot}\" x2=\"{width}\" y2=\"{Top + plot}\"/>");
        for (var m = 0; m < months.Count; m++)
        {
            var x0 = Left + (m * groupWidth);
            for (var s = 0; s < severities.Length; s++)
            {
                var b = bar(months[m], severities[s]);
                var x = x0 + (s * BarWidth);
                var h = (b.Value ?? 0) / scale * plot;
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar sev{(int)severities[s]}\" x=\"{x}\" y=\"{N(Top + plot - h)}\" width=\"{BarWidth - 2}\" height=\"{N(h)}\"><title>{E(months[m])} {severities[s]}: {E(b.Label)}</title></rect>");
                if (b.Marker is { } marker)
                {
                    var y = Top + plot - (marker / scale * plot);
                    svg.Append(CultureInfo.InvariantCulture, $"<line class=\"marker\" x1=\"{x}\" y1=\"{N(y)}\" x2=\"{x + BarWidth - 2}\" y2=\"{N(y)}\"/>");
                }

                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"sevlabel\" x=\"{x + 2}\" y=\"{Top + plot + 12}\">{(int)severities[s]}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"month\" x=\"{x0}\" y=\"{Height - 8}\">{E(months[m])}</text>");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
