package dev.modernbert.plugin.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.opensearch.test.IndexSettingsModule;
import org.opensearch.test.OpenSearchTestCase;

/** The Japanese analyzer and tokenizer as the node's analysis module builds them for an index. */
public class JapaneseAnalysisTests extends OpenSearchTestCase {
  private final IndexSettings index = IndexSettingsModule.newIndexSettings("docs", Settings.EMPTY);

  private static List<String> terms(TokenStream stream) throws IOException {
    List<String> terms = new ArrayList<>();
    try (stream) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    }
    return terms;
  }

  public void testTheAnalyzerFindsWordsTheirBaseFormsAndTheirParts() throws IOException {
    Analyzer analyzer = JapaneseAnalysis.analyzers().get(JapaneseAnalysis.ANALYZER)
        .get(index, null, JapaneseAnalysis.ANALYZER, Settings.EMPTY).get();
    assertEquals("particles dropped, verbs to their base form", List.of("東京", "都", "住む"),
        terms(analyzer.tokenStream("body", "東京都に住んでいる")));
    assertEquals("京都 is not 東京", List.of("京都", "住む"), terms(analyzer.tokenStream("body", "京都に住んでいる")));
    List<String> compound = terms(analyzer.tokenStream("body", "関西国際空港"));
    assertTrue(compound.toString(), compound.containsAll(List.of("関西", "国際", "空港")));
  }

  public void testTheTokenizerKeepsEveryWord() throws IOException {
    Tokenizer tokenizer = JapaneseAnalysis.tokenizers().get(JapaneseAnalysis.TOKENIZER)
        .get(index, null, JapaneseAnalysis.TOKENIZER, Settings.EMPTY).create();
    tokenizer.setReader(new java.io.StringReader("瑠璃色はどんな色？"));
    assertEquals(List.of("瑠璃", "色", "は", "どんな", "色"), terms(tokenizer));
  }
}
