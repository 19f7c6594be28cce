package dev.keyway.sso;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.impl.JBossSlf4jServiceProvider;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * slf4j on JBoss LogManager, as Quarkus binds it, with each logger looked up once by name. The binding asks LogManager
 * at every {@code LoggerFactory.getLogger}, and LogManager builds a new logger each time, with a phantom reference the
 * collector must process. OpenSAML asks for one for every element and attribute it reads (its
 * {@code ConfigurationService} and each XML object do), about a hundred per SAML response: a third of a validation's
 * CPU. A cached logger still follows its category's level, which LogManager keeps, not the logger. The cache holds a
 * logger per name for the life of the service, as LogManager holds a node per name; the libraries here name their
 * loggers after their classes.
 */
public final class CachedSlf4jLoggers implements SLF4JServiceProvider {

    private final SLF4JServiceProvider jboss = new JBossSlf4jServiceProvider();
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private ILoggerFactory factory;

    @Override
    public void initialize() {
        jboss.initialize();
        ILoggerFactory lookUp = jboss.getLoggerFactory();
        factory = name -> {
            Logger known = loggers.get(name);
            return known != null ? known : loggers.computeIfAbsent(name, lookUp::getLogger);
        };
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return jboss.getMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return jboss.getMDCAdapter();
    }

    @Override
    public String getRequestedApiVersion() {
        return jboss.getRequestedApiVersion();
    }
}
