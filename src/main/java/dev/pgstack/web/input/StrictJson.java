package dev.pgstack.web.input;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON is read strictly: a client that sends 1.5 for an integer, 42 for a string, trailing garbage or the same key
 * twice gets a 400 naming the field, instead of having its value silently truncated, converted or overwritten.
 * Text must be valid Unicode: bytes that are not UTF-8 (including overlong forms such as {@code C0 AF} for "/")
 * and escaped lone surrogates ({@code "\ud83d"}) are refused, because PostgreSQL would store them altered.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory().setInputDecorator(new Utf8Check());
        mapper.registerModule(new SimpleModule("pgstack-unicode").addDeserializer(String.class, new UnicodeText()));
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType numeric : new LogicalType[] { LogicalType.Integer, LogicalType.Float }) {
            mapper.coercionConfigFor(numeric)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    /** The body is not UTF-8: answered 400 "malformed-json" with its own detail. */
    public static final class InvalidUtf8Exception extends JsonParseException {
        InvalidUtf8Exception() {
            super((JsonParser) null, "the body is not valid UTF-8");
        }
    }

    /** A string holds a lone surrogate: answered 400 naming the field. */
    public static final class InvalidUnicodeException extends JsonMappingException {
        InvalidUnicodeException(JsonParser parser) {
            super(parser, "must be valid Unicode text (no lone surrogates)");
        }
    }

    /**
     * Jackson decodes UTF-8 leniently (an overlong {@code C0 AF} becomes "/"); Java's decoder does not. ASCII bodies,
     * the common case, are passed through untouched.
     */
    static final class Utf8Check extends InputDecorator {
        @Override
        public InputStream decorate(IOContext context, InputStream in) throws IOException {
            byte[] body = in.readAllBytes();
            check(body, 0, body.length);
            return new ByteArrayInputStream(body);
        }

        @Override
        public InputStream decorate(IOContext context, byte[] src, int offset, int length) throws IOException {
            check(src, offset, length);
            return null; // valid: parse the original array
        }

        @Override
        public Reader decorate(IOContext context, Reader reader) {
            return reader; // already characters
        }

        private static void check(byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
            int end = offset + length;
            int i = offset;
            while (i < end && bytes[i] >= 0) {
                i++;
            }
            if (i == end) {
                return;
            }
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, i, end - i));
            } catch (CharacterCodingException e) {
                throw new InvalidUtf8Exception();
            }
        }
    }

    /** Every string of every body: a high surrogate must be followed by a low one, and a low one preceded. */
    static final class UnicodeText extends StdScalarDeserializer<String> {
        UnicodeText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && hasLoneSurrogate(value)) {
                throw new InvalidUnicodeException(parser);
            }
            return value;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        static boolean hasLoneSurrogate(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        i++;
                    } else {
                        return true;
                    }
                } else if (Character.isLowSurrogate(c)) {
                    return true;
                }
            }
            return false;
        }
    }
}
