using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using System.Xml;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// A fast <see cref="XmlReader"/> for the plain XML that spreadsheet parts are written in, read
/// straight from UTF-8 bytes: no DTD, comments, CDATA or processing instructions (the XML
/// declaration excepted), ASCII names, the five predefined entities, no carriage return or tab
/// where XML would normalise it. Within that subset it reports exactly the nodes that
/// <see cref="XmlReader.Create(Stream, XmlReaderSettings)"/> with <see cref="SpreadsheetReader"/>'s
/// settings reports (namespaces resolved, comments and insignificant whitespace ignored) — the
/// differential tests hold it to that, node by node and attribute by attribute.
/// On anything else, malformed input included, it throws <see cref="OutsideSubsetException"/>:
/// the caller then reads the part again with <see cref="XmlReader"/>, which stays the authority on
/// what is well-formed and on what an error says. It is a speed-up, never a second opinion.
/// Attribute values are read with <see cref="GetAttribute(string)"/> and the MoveTo methods;
/// <see cref="ReadAttributeValue"/> is not supported.
/// </summary>
internal sealed class Utf8XmlSubsetReader : XmlReader
{
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    // Bytes that XmlReader rejects (control characters other than tab, line feed, carriage return).
    private static readonly SearchValues<byte> ForbiddenBytes = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F]);

    private static readonly SearchValues<byte> SpaceBytes = SearchValues.Create(" \t\n\r"u8);

    // Where text needs a closer look: entities, carriage returns (normalised by XML), "]]>" (forbidden).
    private static readonly SearchValues<byte> TextSpecial = SearchValues.Create("&\r]"u8);

    // Where an attribute value ends or needs a closer look: its quote, '<' (an error), whitespace
    // characters (normalised to spaces by XML), entities.
    private static readonly SearchValues<byte> DoubleQuotedStops = SearchValues.Create("\"<\t\n\r&"u8);
    private static readonly SearchValues<byte> SingleQuotedStops = SearchValues.Create("'<\t\n\r&"u8);

    private static readonly string[] OneCharacter = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];

    // 2: may start a name; 1: may continue one; 0: neither (':' is handled apart).
    private static readonly byte[] NameClass = CreateNameClass();

    private readonly byte[] _data;
    private readonly int _start;
    private readonly int _end;
    private readonly XmlNameTable _names;
    private readonly string _xmlPrefix;
    private readonly string _xmlNamespace;
    private readonly string _xmlnsNamespace;
    private int _pos;
    private ReadState _state = ReadState.Initial;

    // The current node.
    private XmlNodeType _nodeType;
    private int _depth;
    private bool _isEmpty;
    private string _localName = string.Empty;
    private string _prefix = string.Empty;
    private string _namespaceUri = string.Empty;
    private int _textStart;
    private int _textLength;
    private bool _textHasEntities;
    private string? _text;

    // The current element's attributes (positions only; strings are made when asked for, and kept
    // while the reader is on the element), and the one the reader is on (-1: the element itself).
    private readonly Scratch _scratch;
    private Attribute[] _attributes;
    private string?[] _attributeStrings;
    private int _attributeCount;
    private int _attributeIndex = -1;

    // Open elements, and the prefixed namespace bindings in scope (the default one is kept per element).
    private Frame[] _frames;
    private int _open;
    private (string Prefix, string Uri)[] _bindings;
    private int _bindingCount;
    private int _popBindingsTo = -1;
    private string _emptyElementDefault = string.Empty;
    private bool _rootSeen;
    private bool _rootClosed;

    // Element names already met, by hash: most parts use a dozen names thousands of times.
    private readonly string?[] _atoms;
    private char[] _chars;

    /// <summary>
    /// Reads <paramref name="length"/> bytes of <paramref name="data"/>, its names atomised in <paramref name="names"/>;
    /// throws <see cref="OutsideSubsetException"/> at once if they are not UTF-8 or hold characters XML forbids.
    /// Readers of one file, one after the other, may share a <paramref name="scratch"/> (never two at once).
    /// </summary>
    public Utf8XmlSubsetReader(byte[] data, int length, XmlNameTable names, Scratch? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(names);
        _scratch = scratch ?? new Scratch();
        _attributes = _scratch.Attributes;
        _attributeStrings = _scratch.AttributeStrings;
        _frames = _scratch.Frames;
        _bindings = _scratch.Bindings;
        _atoms = _scratch.Atoms;
        _chars = _scratch.Chars;
        _data = data;
        _end = length;
        _names = names;
        _start = data.AsSpan(0, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        _pos = _start;
        var text = data.AsSpan(_start, length - _start);
        if (!Utf8.IsValid(text) || text.ContainsAny(ForbiddenBytes) || HasNonCharacter(text))
        {
            throw new OutsideSubsetException();
        }

        _xmlPrefix = names.Add("xml");
        _xmlNamespace = names.Add(XmlNamespace);
        _xmlnsNamespace = names.Add(XmlnsNamespace);
        _bindings[_bindingCount++] = (_xmlPrefix, _xmlNamespace);
    }

    /// <summary>The input is outside the subset (or not well-formed): read it with <see cref="XmlReader"/> instead.</summary>
    public sealed class OutsideSubsetException : Exception
    {
        public OutsideSubsetException()
            : base("The XML is outside the subset this reader handles.")
        {
        }

        public OutsideSubsetException(string message)
            : base(message)
        {
        }

        public OutsideSubsetException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }

    public override XmlNodeType NodeType => _attributeIndex >= 0 ? XmlNodeType.Attribute : _nodeType;

    public override string LocalName => _attributeIndex >= 0 ? AttributeLocalName(_attributeIndex) : _localName;

    public override string Prefix => _attributeIndex >= 0 ? AttributePrefix(_attributeIndex) : _prefix;

    public override string NamespaceURI => _attributeIndex >= 0 ? AttributeNamespace(_attributeIndex) : _namespaceUri;

    public override string Value => _attributeIndex >= 0
        ? AttributeValue(_attributeIndex)
        : _nodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace ? _text ??= Decode(_textStart, _textLength, _textHasEntities) : string.Empty;

    public override int Depth => _attributeIndex >= 0 ? _depth + 1 : _depth;

    public override bool IsEmptyElement => _attributeIndex < 0 && _isEmpty;

    public override int AttributeCount => _nodeType == XmlNodeType.Element ? _attributeCount : 0;

    public override string BaseURI => string.Empty;

    public override bool EOF => _state == ReadState.EndOfFile;

    public override ReadState ReadState => _state;

    public override XmlNameTable NameTable => _names;

    public override bool Read()
    {
        if (_state == ReadState.Initial)
        {
            _state = ReadState.Interactive;
        }
        else if (_state != ReadState.Interactive)
        {
            return false;
        }

        if (_popBindingsTo >= 0)
        {
            _bindingCount = _popBindingsTo;
            _popBindingsTo = -1;
        }

        _attributeCount = 0;
        _attributeIndex = -1;
        _isEmpty = false;
        _text = null;
        while (true)
        {
            if (_pos >= _end)
            {
                if (_open > 0 || !_rootSeen)
                {
                    throw new OutsideSubsetException();
                }

                _state = ReadState.EndOfFile;
                _nodeType = XmlNodeType.None;
                _depth = 0;
                _localName = _prefix = _namespaceUri = string.Empty;
                return false;
            }

            if (_data[_pos] == '<')
            {
                switch (At(_pos + 1))
                {
                    case (byte)'/':
                        ReadEndTag();
                        return true;
                    case (byte)'?':
                        ReadDeclaration();
                        continue;
                    case (byte)'!':
                        throw new OutsideSubsetException();
                    default:
                        ReadStartTag();
                        return true;
                }
            }

            if (ReadText())
            {
                return true;
            }
        }
    }

    public override string? GetAttribute(string name)
    {
        var i = IndexOf(name);
        return i >= 0 ? AttributeValue(i) : null;
    }

    public override string? GetAttribute(string name, string? namespaceURI)
    {
        var i = IndexOf(name, namespaceURI ?? string.Empty);
        return i >= 0 ? AttributeValue(i) : null;
    }

    public override string GetAttribute(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, AttributeCount);
        return AttributeValue(i);
    }

    public override bool MoveToAttribute(string name) => MoveTo(IndexOf(name));

    public override bool MoveToAttribute(string name, string? ns) => MoveTo(IndexOf(name, ns ?? string.Empty));

    public override bool MoveToFirstAttribute() => MoveTo(AttributeCount > 0 ? 0 : -1);

    public override bool MoveToNextAttribute() => MoveTo(_attributeIndex + 1 < AttributeCount ? _attributeIndex + 1 : -1);

    public override bool MoveToElement()
    {
        if (_attributeIndex < 0)
        {
            return false;
        }

        _attributeIndex = -1;
        return true;
    }

    public override string? LookupNamespace(string prefix)
    {
        if (prefix.Length == 0)
        {
            return _nodeType == XmlNodeType.Element && _isEmpty ? _emptyElementDefault : DefaultNamespace();
        }

        // A prefix the name table has never seen is bound nowhere.
        return _names.Get(prefix) is { } atom ? LookupPrefix(atom) : null;
    }

    public override bool ReadAttributeValue() => throw new NotSupportedException("Read attribute values with GetAttribute or Value.");

    public override void ResolveEntity() => throw new InvalidOperationException("Entity references are expanded; there is none to resolve.");

    public override void Close()
    {
        if (_state == ReadState.Closed)
        {
            return;
        }

        // Hand the (possibly grown) arrays back for the next reader of the same file.
        _state = ReadState.Closed;
        _scratch.Attributes = _attributes;
        _scratch.AttributeStrings = _attributeStrings;
        _scratch.Frames = _frames;
        _scratch.Bindings = _bindings;
        _scratch.Chars = _chars;
    }

    private static byte[] CreateNameClass()
    {
        var classes = new byte[256];
        for (var b = 0; b < 128; b++)
        {
            classes[b] = char.IsAsciiLetter((char)b) || b == '_' ? (byte)2 : char.IsAsciiDigit((char)b) || b is '.' or '-' ? (byte)1 : (byte)0;
        }

        return classes;
    }

    private static bool HasNonCharacter(ReadOnlySpan<byte> text)
    {
        // U+FFFE and U+FFFF are not XML characters: EF BF BE, EF BF BF.
        int i;
        while ((i = text.IndexOf((ReadOnlySpan<byte>)[0xEF, 0xBF])) >= 0)
        {
            if (i + 2 < text.Length && text[i + 2] is 0xBE or 0xBF)
            {
                return true;
            }

            text = text[(i + 2)..];
        }

        return false;
    }

    /// <summary>The byte at <paramref name="i"/>, or 0 past the end (0 cannot occur in the input: it is checked away).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte At(int i) => (uint)i < (uint)_end ? _data[i] : (byte)0;

    /// <summary>The default namespace for the content of the innermost open element.</summary>
    private string DefaultNamespace() => _open > 0 ? _frames[_open - 1].DefaultNamespace : string.Empty;

    private bool MoveTo(int index)
    {
        if (index < 0)
        {
            return false;
        }

        _attributeIndex = index;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SkipSpace(ref int p)
    {
        var from = p;
        while (At(p) is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r')
        {
            p++;
        }

        return p > from;
    }

    /// <summary>A name of the subset: an ASCII NCName, or two joined by one colon (<paramref name="colon"/> is its offset in the name, or -1); its hash for quick comparisons.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadName(ref int p, out int colon, out uint hash)
    {
        var data = _data;
        var start = p;
        colon = -1;
        if (p >= _end || NameClass[data[p]] != 2)
        {
            throw new OutsideSubsetException();
        }

        hash = data[p++];
        while (p < _end)
        {
            var b = data[p];
            if (NameClass[b] != 0)
            {
                hash = (hash * 31) + b;
                p++;
            }
            else if (b == ':' && colon < 0 && NameClass[At(p + 1)] == 2)
            {
                colon = p - start;
                hash = (hash * 31) + b;
                p++;
            }
            else if (b == ':')
            {
                throw new OutsideSubsetException();
            }
            else
            {
                break;
            }
        }

        return p - start;
    }

    private void ReadStartTag()
    {
        if (_rootClosed)
        {
            throw new OutsideSubsetException();
        }

        var p = _pos + 1;
        var nameStart = p;
        var nameLength = ReadName(ref p, out var colon, out var nameHash);
        var count = 0;
        var declarations = false;
        var prefixed = false;
        while (true)
        {
            var spaced = SkipSpace(ref p);
            var b = At(p);
            if (b == '>')
            {
                p++;
                break;
            }

            if (b == '/')
            {
                if (At(p + 1) != '>')
                {
                    throw new OutsideSubsetException();
                }

                p += 2;
                _isEmpty = true;
                break;
            }

            if (!spaced)
            {
                throw new OutsideSubsetException();
            }

            var attributeStart = p;
            var attributeLength = ReadName(ref p, out var attributeColon, out var attributeHash);
            var valueEnd = ReadEqualsAndValue(ref p, out var valueStart, out var entities);
            var xmlns = (attributeLength == 5 || attributeColon == 5) && _data.AsSpan(attributeStart, 5).SequenceEqual("xmlns"u8);
            declarations |= xmlns;
            prefixed |= attributeColon >= 0 && !xmlns;
            for (var i = 0; i < count; i++)
            {
                ref var other = ref _attributes[i];
                if (other.Hash == attributeHash && other.NameLength == attributeLength && _data.AsSpan(other.NameStart, other.NameLength).SequenceEqual(_data.AsSpan(attributeStart, attributeLength)))
                {
                    throw new OutsideSubsetException();
                }
            }

            if (count == _attributes.Length)
            {
                Array.Resize(ref _attributes, count * 2);
                Array.Resize(ref _attributeStrings, count * 2);
            }

            _attributes[count++] = new Attribute(attributeStart, attributeLength, attributeColon, valueStart, valueEnd - valueStart, attributeHash, entities, xmlns);
        }

        _pos = p;
        _attributeCount = count;
        Array.Clear(_attributeStrings, 0, count);
        var bindingsBefore = _bindingCount;
        var defaultNamespace = DefaultNamespace();
        var preserve = _open > 0 && _frames[_open - 1].Preserve;
        if (declarations)
        {
            defaultNamespace = Declare(defaultNamespace);
        }

        if (prefixed)
        {
            CheckPrefixedAttributes(ref preserve);
        }

        var local = colon < 0 ? Atom(nameStart, nameLength, nameHash) : Atom(nameStart + colon + 1, nameLength - colon - 1, 0);
        var prefix = colon < 0 ? string.Empty : Atom(nameStart, colon, 0);
        var ns = colon < 0 ? defaultNamespace : LookupPrefix(prefix);
        if (ns is null || prefix == "xmlns" || (colon < 0 && local == "xmlns"))
        {
            throw new OutsideSubsetException();
        }

        _nodeType = XmlNodeType.Element;
        _depth = _open;
        _localName = local;
        _prefix = prefix;
        _namespaceUri = ns;
        _rootSeen = true;
        if (_isEmpty)
        {
            _popBindingsTo = bindingsBefore;
            _emptyElementDefault = defaultNamespace;
            _rootClosed = _open == 0;
            return;
        }

        if (_open == _frames.Length)
        {
            Array.Resize(ref _frames, _open * 2);
        }

        _frames[_open++] = new Frame(nameStart, nameLength, local, prefix, ns, defaultNamespace, bindingsBefore, preserve);
    }

    /// <summary>
    /// After an attribute's name (in a tag or the XML declaration): optional whitespace, '=', optional
    /// whitespace and the quoted value; returns where the value ends, <paramref name="valueStart"/> where it starts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadEqualsAndValue(ref int p, out int valueStart, out bool entities)
    {
        if (At(p) != '=')
        {
            SkipSpace(ref p);
            if (At(p) != '=')
            {
                throw new OutsideSubsetException();
            }
        }

        p++;
        if (At(p) is not ((byte)'"' or (byte)'\''))
        {
            SkipSpace(ref p);
        }

        valueStart = p + 1;
        return ReadAttributeValueEnd(ref p, out entities);
    }

    /// <summary>Past an attribute's quoted value (p on its opening quote); returns where the value ends. Entities are checked, and noted.</summary>
    private int ReadAttributeValueEnd(ref int p, out bool entities)
    {
        var quote = At(p);
        if (quote is not ((byte)'"' or (byte)'\''))
        {
            throw new OutsideSubsetException();
        }

        var stops = quote == '"' ? DoubleQuotedStops : SingleQuotedStops;
        entities = false;
        p++;
        while (true)
        {
            var i = _data.AsSpan(p, _end - p).IndexOfAny(stops);
            if (i < 0)
            {
                throw new OutsideSubsetException();
            }

            p += i;
            var b = _data[p];
            if (b == quote)
            {
                p++;
                return p - 1;
            }

            if (b != '&')
            {
                throw new OutsideSubsetException();
            }

            entities = true;
            p += EntityLength(_data.AsSpan(p, _end - p));
        }
    }

    /// <summary>The element's xmlns and xmlns:p attributes, bound for it and its content; returns the default namespace they leave.</summary>
    private string Declare(string defaultNamespace)
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            ref var a = ref _attributes[i];
            if (!a.Xmlns)
            {
                continue;
            }

            if (a.ValueHasEntities)
            {
                throw new OutsideSubsetException();
            }

            var uri = Ascii.IsValid(_data.AsSpan(a.ValueStart, a.ValueLength)) ? Atom(a.ValueStart, a.ValueLength, 0) : _names.Add(Decode(a.ValueStart, a.ValueLength, false));
            if (uri is XmlNamespace or XmlnsNamespace)
            {
                throw new OutsideSubsetException();
            }

            if (a.Colon < 0)
            {
                defaultNamespace = uri;
                continue;
            }

            var prefix = Atom(a.NameStart + 6, a.NameLength - 6, 0);
            if (uri.Length == 0 || prefix is "xml" or "xmlns")
            {
                throw new OutsideSubsetException();
            }

            if (_bindingCount == _bindings.Length)
            {
                Array.Resize(ref _bindings, _bindingCount * 2);
            }

            _bindings[_bindingCount++] = (prefix, uri);
        }

        return defaultNamespace;
    }

    /// <summary>Prefixed attributes: the prefix declared, xml:space read, no two with the same local name in the same namespace.</summary>
    private void CheckPrefixedAttributes(ref bool preserve)
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            ref var a = ref _attributes[i];
            if (a.Colon < 0 || a.Xmlns)
            {
                continue;
            }

            var ns = AttributeNamespace(i);
            if (ReferenceEquals(ns, _xmlNamespace) && _data.AsSpan(a.NameStart, a.NameLength).SequenceEqual("xml:space"u8))
            {
                var value = _data.AsSpan(a.ValueStart, a.ValueLength);
                if (value.SequenceEqual("preserve"u8))
                {
                    preserve = true;
                }
                else if (value.SequenceEqual("default"u8))
                {
                    preserve = false;
                }
                else
                {
                    throw new OutsideSubsetException();
                }
            }

            for (var j = 0; j < i; j++)
            {
                ref var b = ref _attributes[j];
                if (b.Colon >= 0 && !b.Xmlns && LocalPart(a).SequenceEqual(LocalPart(b)) && ReferenceEquals(ns, AttributeNamespace(j)))
                {
                    throw new OutsideSubsetException();
                }
            }
        }
    }

    private string? LookupPrefix(string prefix)
    {
        for (var i = _bindingCount - 1; i >= 0; i--)
        {
            if (ReferenceEquals(_bindings[i].Prefix, prefix))
            {
                return _bindings[i].Uri;
            }
        }

        return null;
    }

    private ReadOnlySpan<byte> LocalPart(in Attribute a) => _data.AsSpan(a.NameStart + a.Colon + 1, a.NameLength - a.Colon - 1);

    private void ReadEndTag()
    {
        if (_open == 0)
        {
            throw new OutsideSubsetException();
        }

        // The name must be the open element's, byte for byte, then optional whitespace and '>'.
        ref var frame = ref _frames[_open - 1];
        var p = _pos + 2;
        if (p + frame.NameLength > _end || !_data.AsSpan(p, frame.NameLength).SequenceEqual(_data.AsSpan(frame.NameStart, frame.NameLength)))
        {
            throw new OutsideSubsetException();
        }

        p += frame.NameLength;
        if (At(p) != '>')
        {
            SkipSpace(ref p);
            if (At(p) != '>')
            {
                throw new OutsideSubsetException();
            }
        }

        _open--;
        _pos = p + 1;
        _nodeType = XmlNodeType.EndElement;
        _depth = _open;
        _localName = frame.LocalName;
        _prefix = frame.Prefix;
        _namespaceUri = frame.NamespaceUri;
        _popBindingsTo = frame.Bindings;
        _rootClosed = _open == 0;
    }

    /// <summary>The XML declaration, only first in the part: version 1.0, encoding UTF-8 if named, standalone yes or no. It is not reported (the callers skip it).</summary>
    private void ReadDeclaration()
    {
        if (_pos != _start || !_data.AsSpan(_pos, _end - _pos).StartsWith("<?xml"u8))
        {
            throw new OutsideSubsetException();
        }

        var p = _pos + 5;
        var expected = 0; // version, then encoding, then standalone
        while (true)
        {
            var spaced = SkipSpace(ref p);
            if (At(p) == '?' && At(p + 1) == '>' && expected > 0)
            {
                _pos = p + 2;
                return;
            }

            if (!spaced)
            {
                throw new OutsideSubsetException();
            }

            var nameStart = p;
            var name = _data.AsSpan(nameStart, ReadName(ref p, out _, out _));
            var valueEnd = ReadEqualsAndValue(ref p, out var valueStart, out var entities);
            var value = _data.AsSpan(valueStart, valueEnd - valueStart);
            if (entities)
            {
                throw new OutsideSubsetException();
            }

            if (expected == 0 && name.SequenceEqual("version"u8) && value.SequenceEqual("1.0"u8))
            {
                expected = 1;
            }
            else if (expected == 1 && name.SequenceEqual("encoding"u8) && Ascii.EqualsIgnoreCase(value, "utf-8"u8))
            {
                expected = 2;
            }
            else if (expected is 1 or 2 && name.SequenceEqual("standalone"u8) && (value.SequenceEqual("yes"u8) || value.SequenceEqual("no"u8)))
            {
                expected = 3;
            }
            else
            {
                throw new OutsideSubsetException();
            }
        }
    }

    /// <summary>Text up to the next tag: reported as XmlReader would (insignificant whitespace skipped); false when skipped.</summary>
    private bool ReadText()
    {
        var rest = _data.AsSpan(_pos, _end - _pos);
        var length = rest.IndexOf((byte)'<');
        if (length < 0)
        {
            length = rest.Length;
        }

        var text = rest[..length];
        var whitespace = !text.ContainsAnyExcept(SpaceBytes);
        var start = _pos;
        _pos += length;
        if (_open == 0 || (whitespace && !_frames[_open - 1].Preserve))
        {
            // Outside the root only whitespace may stand; inside, whitespace-only text is not reported.
            return whitespace ? false : throw new OutsideSubsetException();
        }

        _textHasEntities = false;
        if (text.ContainsAny(TextSpecial))
        {
            if (text.Contains((byte)'\r') || text.IndexOf("]]>"u8) >= 0)
            {
                throw new OutsideSubsetException();
            }

            for (var i = text.IndexOf((byte)'&'); i >= 0; i = text.IndexOf((byte)'&'))
            {
                _textHasEntities = true;
                text = text[(i + EntityLength(text[i..]))..];
            }

            // Character references can spell whitespace ("&#10;"): how XmlReader classes such text is its call.
            if (_textHasEntities && string.IsNullOrWhiteSpace(_text = Decode(start, length, true)))
            {
                throw new OutsideSubsetException();
            }
        }

        _nodeType = whitespace ? XmlNodeType.SignificantWhitespace : XmlNodeType.Text;
        _depth = _open;
        _localName = _prefix = _namespaceUri = string.Empty;
        _textStart = start;
        _textLength = length;
        return true;
    }

    /// <summary>
    /// The length of the entity reference <paramref name="text"/> starts with: one of the five predefined
    /// entities, or a character reference ("&amp;#10;", "&amp;#x1F600;") to a character XML allows; anything
    /// else goes to XmlReader.
    /// </summary>
    private static int EntityLength(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOf((byte)';');
        if (end < 0 || Entity(text[1..end]) < 0)
        {
            throw new OutsideSubsetException();
        }

        return end + 1;
    }

    /// <summary>The character an entity's name (between '&amp;' and ';') stands for, or -1 when it is outside the subset.</summary>
    private static int Entity(ReadOnlySpan<byte> name)
    {
        if (name.Length > 1 && name[0] == '#')
        {
            var hex = name[1] == 'x';
            var digits = name[(hex ? 2 : 1)..];
            if (digits.IsEmpty || digits.Length > 6)
            {
                return -1;
            }

            var code = 0;
            foreach (var d in digits)
            {
                var value = char.IsAsciiDigit((char)d) ? d - '0' : hex && char.IsAsciiHexDigit((char)d) ? (d | 0x20) - 'a' + 10 : -1;
                if (value < 0)
                {
                    return -1;
                }

                code = (code * (hex ? 16 : 10)) + value;
            }

            return code is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF) ? code : -1;
        }

        return name.SequenceEqual("lt"u8) ? '<'
            : name.SequenceEqual("gt"u8) ? '>'
            : name.SequenceEqual("amp"u8) ? '&'
            : name.SequenceEqual("quot"u8) ? '"'
            : name.SequenceEqual("apos"u8) ? '\''
            : -1;
    }

    private string Decode(int start, int length, bool entities)
    {
        var bytes = _data.AsSpan(start, length);
        if (!entities)
        {
            // One ASCII character ("s", "n", "0"–"9": cell types and most counts) is a shared string.
            return length == 1 && bytes[0] < 0x80 ? OneCharacter[bytes[0]] : Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(length);
        int i;
        while ((i = bytes.IndexOf((byte)'&')) >= 0)
        {
            text.Append(Encoding.UTF8.GetString(bytes[..i]));
            var end = bytes[i..].IndexOf((byte)';');
            text.Append(char.ConvertFromUtf32(Entity(bytes.Slice(i + 1, end - 1))));
            bytes = bytes[(i + end + 1)..];
        }

        return text.Append(Encoding.UTF8.GetString(bytes)).ToString();
    }

    /// <summary>
    /// The name table's string for ASCII bytes: the same instance XmlReader would give. Names met before
    /// (by <paramref name="hash"/>, when the caller has it) are found without hashing them again.
    /// </summary>
    private string Atom(int start, int length, uint hash)
    {
        var bytes = _data.AsSpan(start, length);
        var slot = (int)(hash & (uint)(_atoms.Length - 1));
        if (hash != 0 && _atoms[slot] is { } known && Ascii.Equals(bytes, known))
        {
            return known;
        }

        if (_chars.Length < length)
        {
            _chars = new char[length * 2];
        }

        for (var i = 0; i < length; i++)
        {
            _chars[i] = (char)bytes[i];
        }

        var atom = _names.Add(_chars, 0, length);
        if (hash != 0)
        {
            _atoms[slot] = atom;
        }

        return atom;
    }

    // An attribute's strings are made once per element and kept in _attributeStrings: [value, local name] per attribute.
    private string AttributeValue(int i)
    {
        ref var a = ref _attributes[i];
        return _attributeStrings[i] ??= Decode(a.ValueStart, a.ValueLength, a.ValueHasEntities);
    }

    private string AttributeLocalName(int i)
    {
        ref var a = ref _attributes[i];
        return a.Colon < 0 ? Atom(a.NameStart, a.NameLength, 0) : Atom(a.NameStart + a.Colon + 1, a.NameLength - a.Colon - 1, 0);
    }

    private string AttributePrefix(int i)
    {
        ref var a = ref _attributes[i];
        return a.Colon < 0 ? string.Empty : Atom(a.NameStart, a.Colon, 0);
    }

    /// <summary>An attribute's namespace: none when unprefixed, the xmlns namespace for declarations, else its prefix's.</summary>
    private string AttributeNamespace(int i)
    {
        ref var a = ref _attributes[i];
        return a.Xmlns ? _xmlnsNamespace
            : a.Colon < 0 ? string.Empty
            : LookupPrefix(Atom(a.NameStart, a.Colon, 0)) ?? throw new OutsideSubsetException();
    }

    /// <summary>The attribute whose qualified name is <paramref name="name"/>, as <see cref="XmlReader.GetAttribute(string)"/> matches.</summary>
    private int IndexOf(string name)
    {
        for (var i = 0; i < AttributeCount; i++)
        {
            ref var a = ref _attributes[i];
            if (a.NameLength == name.Length && Ascii.Equals(_data.AsSpan(a.NameStart, a.NameLength), name))
            {
                return i;
            }
        }

        return -1;
    }

    private int IndexOf(string localName, string ns)
    {
        for (var i = 0; i < AttributeCount; i++)
        {
            if (Ascii.Equals(LocalPart(_attributes[i]), localName) && AttributeNamespace(i) == ns)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The working arrays of a reader, kept for the next reader of the same file (and its name table):
    /// reading a file's parts one after another then allocates them once. Not for two readers at once.
    /// </summary>
    public sealed class Scratch
    {
        internal Attribute[] Attributes { get; set; } = new Attribute[8];

        internal string?[] AttributeStrings { get; set; } = new string?[8];

        internal Frame[] Frames { get; set; } = new Frame[8];

        internal (string Prefix, string Uri)[] Bindings { get; set; } = new (string, string)[8];

        internal string?[] Atoms { get; } = new string?[64];

        internal char[] Chars { get; set; } = new char[32];
    }

    /// <summary>Where an attribute's name and value are in the bytes: no strings, so that reading a tag allocates nothing.</summary>
    internal readonly record struct Attribute(int NameStart, int NameLength, int Colon, int ValueStart, int ValueLength, uint Hash, bool ValueHasEntities, bool Xmlns);

    internal readonly record struct Frame(int NameStart, int NameLength, string LocalName, string Prefix, string NamespaceUri, string DefaultNamespace, int Bindings, bool Preserve);
}
