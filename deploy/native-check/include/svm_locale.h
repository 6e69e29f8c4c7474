/*
 * Stand-in for GraalVM's svm_locale.h (com.oracle.svm.native.libchelper), which the Maven artifacts of the
 * builder do not ship. Only the names matter to the native check: the builder asks the C compiler for the layout
 * of the structs and the values of the constants that svm LocaleCHelper.java declares (@CStruct/@CField/@CConstant);
 * the object file is never linked against it. Derived from the svm 25.0.2 sources.
 */
#ifndef PGSTACK_SVM_LOCALE_H
#define PGSTACK_SVM_LOCALE_H

#define SVM_LOCALE_INITIALIZATION_SUCCEEDED 0
#define SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY 1

typedef struct {
    char *display_language;
    char *display_script;
    char *display_country;
    char *display_variant;
    char *format_language;
    char *format_script;
    char *format_country;
    char *format_variant;
} svm_locale_props_t;

#endif
