using System.Xml;
using System.Xml.Linq;

namespace UsageSdk.Dashboard.Internal;

/// <summary>
/// The page is built as an XHTML tree (System.Xml.Linq), so every text and attribute is escaped by construction, and
/// written as HTML5 (doctype, explicit end tags on empty non-void elements).
/// </summary>
internal static class Html
{
    public static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    public static readonly XNamespace S = "http://www.w3.org/2000/svg";
    private static readonly HashSet<string> VoidElements = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    public static XElement E(string name, params object?[] content) => new(H + name, content.Select(c => c is string s ? Fmt.Clean(s) : c));

    public static XAttribute At(string name, string value) => new(name, Fmt.Clean(value));

    public static XElement P(string cssClass, string text) => E("p", At("class", cssClass), text);

    public static XElement Link(string href, string text, params object?[] more) => E("a", At("href", href), text, more);

    public static string Render(XElement html)
    {
        foreach (var e in html.DescendantsAndSelf())
        {
            if (e.Name.Namespace == H && e.IsEmpty && !VoidElements.Contains(e.Name.LocalName))
            {
                e.Value = string.Empty;
            }
            if (e.Name.Namespace == S && e.IsEmpty && e.Name.LocalName is "title" or "desc" or "text")
            {
                e.Value = string.Empty;
            }
        }
        using var writer = new StringWriter(Fmt.Inv);
        writer.Write("<!DOCTYPE html>\n");
        using (var xml = XmlWriter.Create(writer, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, CheckCharacters = true }))
        {
            html.WriteTo(xml);
        }
        writer.Write('\n');
        return writer.ToString();
    }
}
